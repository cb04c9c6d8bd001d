using EdgeMigrate.Bench.Wasm;

return await WasmMigrationBench.Command().Parse(args).InvokeAsync();
