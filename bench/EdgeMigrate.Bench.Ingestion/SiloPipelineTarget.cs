using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Hosting;
using EdgeMigrate.Silo.Mqtt;
using EdgeMigrate.Silo.Persistence;
using EdgeMigrate.Silo.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.Bench.Ingestion;

/// <summary>
/// The pipeline: a real silo in this process, built exactly as the executable builds it (embedded broker, MQTT
/// bridge, ingestion lanes, DeviceGrain, the embedded SQLite store in a fresh temporary data dir) on free
/// loopback ports. The sink is <see cref="PersistedStateProbe"/>: a message counts once its state is written.
/// </summary>
public sealed class SiloPipelineTarget : IngestionTarget
{
    private readonly string _dataDir;
    private WebApplication? _app;

    private SiloPipelineTarget(string dataDir, int mqttPort) => (_dataDir, MqttPort) = (dataDir, mqttPort);

    public override string Name => "silo pipeline";

    public override int MqttPort { get; }

    public string DataDir => _dataDir;

    private IServiceProvider Services => (_app ?? throw new InvalidOperationException("the silo is not started")).Services;

    public static async Task<SiloPipelineTarget> StartAsync(CancellationToken cancellationToken)
    {
        var dataDir = Directory.CreateTempSubdirectory("edgemigrate-bench-ingestion-").FullName;
        var target = new SiloPipelineTarget(dataDir, FreePort.Next());
        var settings = new Dictionary<string, string?>
        {
            ["Silo:HttpHost"] = "127.0.0.1",
            ["Silo:HttpPort"] = Port(FreePort.Next()),
            ["Silo:DataDir"] = dataDir,
            ["Silo:SiloPort"] = Port(FreePort.Next()),
            ["Silo:GatewayPort"] = Port(FreePort.Next()),
            ["Mqtt:Port"] = Port(target.MqttPort),
        };
        target._app = SiloApplication.Build(settings, builder =>
        {
            // Keep the table readable: the silo's start-up lines go, its warnings stay.
            builder.Logging.AddFilter("EdgeMigrate", LogLevel.Warning).AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
            PersistedStateProbe.Install(builder.Services, StorageNames.Default, target.Observe);
        });
        await target._app.StartAsync(cancellationToken);
        await target.Services.GetRequiredService<MqttBridge>().Connected.WaitAsync(TimeSpan.FromSeconds(60), cancellationToken);
        return target;
    }

    /// <summary>The silo's own counters (accepted, rejected by reason, failed).</summary>
    public IngestionStatistics Statistics() => Services.GetRequiredService<IngestionMetrics>().Snapshot("bench");

    /// <summary>Reads every device grain back through the grain factory: what an API caller would see.</summary>
    public async Task<FleetCheck> CheckDevicesAsync(TelemetryWorkload workload)
    {
        var grains = Services.GetRequiredService<IGrainFactory>();
        long accepted = 0, stale = 0;
        var behind = new List<string>();
        for (var d = 0; d < workload.Devices; d++)
        {
            var snapshot = await grains.GetGrain<IDeviceGrain>(workload.DeviceId(d)).GetAsync();
            accepted += snapshot?.AcceptedReports ?? 0;
            stale += snapshot?.StaleReports ?? 0;
            if (snapshot?.LastSequence != workload.LastSequence(d))
            {
                behind.Add($"{workload.DeviceId(d)}: {snapshot?.LastSequence} != {workload.LastSequence(d)}");
            }
        }

        return new FleetCheck(accepted, stale, behind);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(TimeSpan.FromSeconds(30));
            await _app.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp dir is harmless.
        }
    }

    private static string Port(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What the device grains hold after a run.</summary>
public sealed record FleetCheck(long AcceptedReports, long StaleReports, IReadOnlyList<string> DevicesBehind);
