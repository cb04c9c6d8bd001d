using System.CommandLine;
using System.Globalization;

namespace EdgeMigrate.Silo.Hosting;

/// <summary>The silo's command line: each option maps onto a configuration key, so appsettings and environment work too.</summary>
public static class SiloCommandLine
{
    private static readonly Option<int?> MqttPort = new("--mqtt-port") { Description = "Port of the embedded MQTT broker (default 1883)." };
    private static readonly Option<string?> MqttUrl = new("--mqtt-url") { Description = "Use an external broker instead of the embedded one, e.g. mqtt://127.0.0.1:1883." };
    private static readonly Option<string?> MqttSharedGroup = new("--mqtt-shared-group") { Description = "Shared-subscription group so silos split telemetry (default: 'edgemigrate' with --mqtt-url, none when embedded)." };
    private static readonly Option<int?> HttpPort = new("--http-port") { Description = "Port of the operator HTTP API (default 8080)." };
    private static readonly Option<string?> HttpHost = new("--http-host") { Description = "Address the HTTP API binds to (default 0.0.0.0)." };
    private static readonly Option<string?> DataDir = new("--data-dir") { Description = "Directory of the embedded store and the token signing key (default ./data)." };
    private static readonly Option<string?> Redis = new("--redis") { Description = "Join a Redis-backed cluster: Redis connection string, e.g. 127.0.0.1:6379. Grain state goes to Redis too." };
    private static readonly Option<string?> ClusterId = new("--cluster-id") { Description = "Orleans cluster id (default 'edgemigrate'); silos with the same id and Redis form one cluster." };
    private static readonly Option<int?> SiloPort = new("--silo-port") { Description = "Orleans silo-to-silo port (default 11111)." };
    private static readonly Option<string?> AdvertisedIp = new("--advertised-ip") { Description = "Cluster mode: the IP other silos reach this one on (default 127.0.0.1; in Kubernetes the pod IP)." };
    private static readonly Option<int?> GatewayPort = new("--gateway-port") { Description = "Orleans client gateway port (default 30000)." };
    private static readonly Option<string?> Model = new("--model") { Description = "Handover model file (from 'edgemigrate-sim train') for fleets on the predictive policy; swap it later with PUT /api/model." };
    private static readonly Option<TimeSpan?> RunFor = new("--run-for") { Description = "Stop by itself after this long, e.g. 00:01:00 (default: until Ctrl+C)." };

    public static RootCommand Create(Func<IReadOnlyDictionary<string, string?>, TimeSpan?, CancellationToken, Task<int>> run)
    {
        var root = new RootCommand("EdgeMigrate silo: Orleans grains for devices, edge nodes, services and migrations; MQTT ingestion; operator HTTP API.")
        {
            MqttPort, MqttUrl, MqttSharedGroup, HttpPort, HttpHost, DataDir, Redis, ClusterId, SiloPort, GatewayPort, AdvertisedIp, Model, RunFor,
        };
        root.SetAction((result, cancellationToken) => run(ToConfiguration(result), result.GetValue(RunFor), cancellationToken));
        return root;
    }

    private static Dictionary<string, string?> ToConfiguration(ParseResult result)
    {
        var settings = new Dictionary<string, string?>();
        void Set<T>(Option<T> option, string key)
        {
            if (result.GetValue(option) is { } value)
            {
                settings[key] = Convert.ToString(value, CultureInfo.InvariantCulture);
            }
        }

        Set(MqttPort, "Mqtt:Port");
        Set(MqttUrl, "Mqtt:Url");
        Set(MqttSharedGroup, "Mqtt:SharedGroup");
        Set(HttpPort, "Silo:HttpPort");
        Set(HttpHost, "Silo:HttpHost");
        Set(DataDir, "Silo:DataDir");
        Set(Redis, "Silo:Redis");
        Set(ClusterId, "Silo:ClusterId");
        Set(SiloPort, "Silo:SiloPort");
        Set(GatewayPort, "Silo:GatewayPort");
        Set(AdvertisedIp, "Silo:AdvertisedIp");
        Set(Model, "Decision:ModelPath");
        return settings;
    }
}
