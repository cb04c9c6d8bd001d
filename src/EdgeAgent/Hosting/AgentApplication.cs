using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Hosting;

/// <summary>Builds the agent host from settings ("Agent:*"); tests build it in-process the same way.</summary>
public static class AgentApplication
{
    public static IHost Build(IDictionary<string, string?> settings, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = false, Args = [] });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.AddEdgeAgent();
        configure?.Invoke(builder);
        return builder.Build();
    }
}
