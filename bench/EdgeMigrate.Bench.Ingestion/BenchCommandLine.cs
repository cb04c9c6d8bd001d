using System.CommandLine;

namespace EdgeMigrate.Bench.Ingestion;

/// <summary>The harness's command line.</summary>
public static class BenchCommandLine
{
    private static readonly Option<int> Messages = AtLeast(new("--messages") { Description = "Measured messages per scenario.", DefaultValueFactory = _ => 20_000 }, 1);
    private static readonly Option<int> Devices = AtLeast(new("--devices") { Description = "Devices the messages are spread over.", DefaultValueFactory = _ => 200 }, 1);
    private static readonly Option<int> Warmup = AtLeast(new("--warmup") { Description = "Warm-up messages before each target is measured.", DefaultValueFactory = _ => 4_000 }, 0);
    private static readonly Option<int> Publishers = AtLeast(new("--publishers") { Description = "Publishing MQTT connections; each owns whole devices so their reports stay in order.", DefaultValueFactory = _ => 4 }, 1);
    private static readonly Option<int> Window = AtLeast(new("--window") { Description = "Saturation runs: messages in flight end to end (published, not yet observed at the sink).", DefaultValueFactory = _ => 256 }, 1);
    private static readonly Option<double> OpenLoop = new("--open-loop") { Description = "Open-loop rate as a fraction of the pipeline's measured maximum, within [0, 1]; 0 skips the open-loop runs.", DefaultValueFactory = _ => 0.5 };
    private static readonly Option<int> Timeout = AtLeast(new("--timeout-seconds") { Description = "Longest one scenario may run.", DefaultValueFactory = _ => 300 }, 1);

    public static RootCommand Create(Func<BenchOptions, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand("Telemetry ingestion benchmark: bare MQTT broker pass-through vs. broker → silo lanes → DeviceGrain → SQLite, in one process.")
        {
            Messages, Devices, Warmup, Publishers, Window, OpenLoop, Timeout,
        };
        OpenLoop.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 1)
            {
                r.AddError("--open-loop must be within [0, 1].");
            }
        });
        root.SetAction(async (result, cancellationToken) =>
        {
            var options = new BenchOptions(
                result.GetValue(Messages),
                result.GetValue(Devices),
                result.GetValue(Warmup),
                result.GetValue(Publishers),
                result.GetValue(Window),
                result.GetValue(OpenLoop),
                TimeSpan.FromSeconds(result.GetValue(Timeout)));
            if (options.Publishers > options.Devices)
            {
                await Console.Error.WriteLineAsync("--publishers must not exceed --devices.");
                return 2;
            }

            return await run(options, cancellationToken);
        });
        return root;
    }

    private static Option<int> AtLeast(Option<int> option, int minimum)
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < minimum)
            {
                r.AddError($"{option.Name} must be at least {minimum}.");
            }
        });
        return option;
    }
}
