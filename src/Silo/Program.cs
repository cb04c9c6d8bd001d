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
}).Parse(args).InvokeAsync();
