using EdgeMigrate.EdgeAgent.Hosting;
using EdgeMigrate.Hosting;

var root = AgentCommandLine.Build((settings, cancellationToken) => HostRunner.RunAsync(AgentApplication.Build(settings), "edgemigrate-agent", cancellationToken));
return await root.Parse(args).InvokeAsync();
