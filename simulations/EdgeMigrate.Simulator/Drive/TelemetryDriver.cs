using System.Text.Json;
using EdgeMigrate.Messaging;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Simulation.Geometry;
using EdgeMigrate.Simulation.Scenarios;
using MQTTnet;

namespace EdgeMigrate.Simulator.Drive;

/// <summary>
/// Plays a scenario's devices against a real silo: every step, each active device publishes telemetry over
/// MQTT with its position, nearest site and the latency model's RTT to its nearest sites, paced to wall time
/// (optionally sped up). The same mobility and latency the simulator evaluates, now as live load.
/// </summary>
internal sealed class TelemetryDriver(PreparedScenario scenario, IMqttClient client, double speedup, int candidateSites, TimeProvider timeProvider)
{
    public long Sent { get; private set; }

    public int ActiveDevices { get; private set; }

    /// <summary>Plays every step; <paramref name="onStep"/> gets the simulated time after each, for progress output.</summary>
    public async Task RunAsync(DateTimeOffset startAt, Action<double>? onStep, CancellationToken cancellationToken)
    {
        var mobility = scenario.Mobility;
        var settings = scenario.Settings;
        var sites = scenario.Sites;
        var positions = new PlanarPoint[mobility.DeviceCount];
        var active = new bool[mobility.DeviceCount];
        var previous = new Models.Geo.GeoPoint?[mobility.DeviceCount];
        var nearest = new int[Math.Min(candidateSites, sites.Count)];
        var distances = new double[nearest.Length];
        var wallStart = timeProvider.GetTimestamp();
        mobility.Reset();
        for (var step = 0; step < settings.Steps; step++)
        {
            var t = step * settings.StepSeconds;
            var due = TimeSpan.FromSeconds(t / speedup) - timeProvider.GetElapsedTime(wallStart);
            if (due > TimeSpan.Zero)
            {
                await Task.Delay(due, timeProvider, cancellationToken);
            }

            mobility.MoveTo(t, positions, active);
            ActiveDevices = 0;
            for (var device = 0; device < positions.Length; device++)
            {
                if (!active[device])
                {
                    previous[device] = null;
                    continue;
                }

                ActiveDevices++;
                var k = sites.Nearest(positions[device], nearest, distances);
                var rtt = new Dictionary<string, double>(k);
                for (var i = 0; i < k; i++)
                {
                    rtt[sites.Sites[nearest[i]].Id] = Math.Round(settings.Latency.AccessMs(distances[i]) + settings.Latency.MeasurementNoiseMs(device, step, nearest[i]), 2);
                }

                var geo = mobility.Projection.ToGeo(positions[device]);
                var (speed, heading) = previous[device] is { } before && before != geo
                    ? (before.DistanceMetresTo(geo) / settings.StepSeconds, before.BearingDegreesTo(geo))
                    : ((double?)0.0, (double?)null);
                previous[device] = geo;
                var deviceId = TopicSafe(mobility.DeviceId(device));
                var report = new TelemetryMessage
                {
                    SchemaVersion = ContractVersion.Current,
                    DeviceId = deviceId,
                    // Wall-clock time: sped up, simulated time would soon run past the silo's clock-skew limit.
                    Timestamp = startAt.AddSeconds(t / speedup),
                    Lat = Math.Round(geo.Lat, 6),
                    Lon = Math.Round(geo.Lon, 6),
                    SpeedMps = speed is { } v ? Math.Round(v, 2) : null,
                    HeadingDeg = heading is { } h ? Math.Round(h, 1) % 360 : null,
                    ServingSiteId = sites.Sites[nearest[0]].Id,
                    RttMs = rtt,
                    Sequence = step + 1,
                };
                await client.PublishCheckedAsync(
                    MqttPublishing.JsonMessage(MqttTopics.Telemetry(deviceId), JsonSerializer.SerializeToUtf8Bytes(report, ContractJsonContext.Default.TelemetryMessage), retain: false),
                    cancellationToken);
                Sent++;
            }

            onStep?.Invoke(t);
        }
    }

    /// <summary>Feed ids (e.g. GTFS trip ids with a device suffix) made valid as MQTT topic and entity ids.</summary>
    public static string TopicSafe(string id)
    {
        var safe = new string([.. id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' ? c : '-')]);
        return safe.Length <= EntityId.MaxLength ? safe : safe[..EntityId.MaxLength];
    }
}
