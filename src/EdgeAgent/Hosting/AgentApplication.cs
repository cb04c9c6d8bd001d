using EdgeMigrate.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace EdgeMigrate.EdgeAgent.Hosting;

/// <summary>Builds the agent host from settings ("Agent:*"); tests build it in-process the same way.</summary>
public static class AgentApplication
{
    public static IHost Build(IDictionary<string, string?> settings, Action<HostApplicationBuilder>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = false, Args = [] });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddEdgeMigrateDefaults("edgemigrate-agent", metrics =>
        {
            // No web host here: --metrics-listen serves /metrics from its own listener (an invalid value fails validation at start).
            if (AgentOptionsValidator.TryParseEndpoint(builder.Configuration[$"{AgentOptions.Section}:{nameof(AgentOptions.MetricsListen)}"], out var endpoint))
            {
                metrics.AddPrometheusHttpListener(o => (o.Host, o.Port) = (PrometheusHost(endpoint), endpoint.Port));
            }
        });
        builder.AddEdgeAgent();
        configure?.Invoke(builder);
        return builder.Build();
    }

    /// <summary>The listener's host: any address (<c>0.0.0.0</c>) becomes HttpListener's <c>+</c>.</summary>
    public static string PrometheusHost(System.Net.IPEndPoint endpoint) =>
        endpoint.Address.Equals(System.Net.IPAddress.Any) ? "+" : endpoint.Address.ToString();
}
