using EdgeMigrate.Bench.Migration;

return await BenchCommandLine.Create((options, ct) => new MigrationBenchmark(options, Console.Out).RunAsync(ct)).Parse(args).InvokeAsync();
