using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Hosting;
using EdgeMigrate.Silo.Hosting;

return await SiloCommandLine.Create(async (settings, runFor, cancellationToken) =>
{
    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    if (runFor is { } duration)
    {
        stop.CancelAfter(duration);
    }

    // --model names a file that is not a usable model: the silo does not start on a guess.
    return await HostRunner.RunAsync(SiloApplication.Build(settings), "edgemigrate-silo", stop.Token, ex => ex is HandoverModelException model ? $"--model refused: {model.Message}" : null);
}).Parse(args).InvokeAsync();
