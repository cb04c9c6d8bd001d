using EdgeMigrate.Silo.Hosting;

return await SiloCommandLine.Create(async (settings, runFor, cancellationToken) =>
{
    await using var app = SiloApplication.Build(settings);
    using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    if (runFor is { } duration)
    {
        stop.CancelAfter(duration);
    }

    await app.RunAsync(stop.Token);
    return 0;
}).Parse(args).InvokeAsync();
