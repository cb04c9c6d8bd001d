using EdgeMigrate.EdgeAgent.Wasm.Tool;

return await WasmToolCommands.Build().Parse(args).InvokeAsync();
