using EdgeMigrate.EdgeAgent.Hosting;
using Microsoft.Extensions.Hosting;

var root = AgentCommandLine.Build(async (settings, cancellationToken) =>
{
    using var host = AgentApplication.Build(settings);
    await host.RunAsync(cancellationToken);
    return 0;
});
return await root.Parse(args).InvokeAsync();
