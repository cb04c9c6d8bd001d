using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Silo.Hosting;
using Microsoft.Extensions.Options;

return await SiloCommandLine.Create(async (settings, runFor, cancellationToken) =>
{
    await using var app = SiloApplication.Build(settings);
    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    if (runFor is { } duration)
    {
        stop.CancelAfter(duration);
    }

    try
    {
        await app.RunAsync(stop.Token);
        return 0;
    }
    catch (OptionsValidationException ex)
    {
        // A setting is wrong: say which, without a stack trace.
        await Console.Error.WriteLineAsync($"edgemigrate-silo: invalid settings:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", ex.Failures)}");
        return 2;
    }
    catch (HandoverModelException ex)
    {
        // --model names a file that is not a usable model: the silo does not start on a guess.
        await Console.Error.WriteLineAsync($"edgemigrate-silo: --model refused: {ex.Message}");
        return 2;
    }
}).Parse(args).InvokeAsync();
