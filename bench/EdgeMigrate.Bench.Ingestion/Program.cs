using EdgeMigrate.Bench.Ingestion;

return await BenchCommandLine.Create((options, ct) => new IngestionBenchmark(options, Console.Out).RunAsync(ct)).Parse(args).InvokeAsync();
