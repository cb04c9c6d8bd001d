using EdgeMigrate.Bench.Migration;

return await BenchCommandLine.Create((options, ct) => options.ContainerdComparison
    ? new ContainerdComparison(options, Console.Out).RunAsync(ct)
    : new MigrationBenchmark(options, Console.Out).RunAsync(ct)).Parse(args).InvokeAsync();
