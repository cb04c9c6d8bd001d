using System.CommandLine;
using System.Globalization;
using EdgeMigrate.Messaging;
using EdgeMigrate.Simulation.Scenarios;
using EdgeMigrate.Simulator.Drive;
using MQTTnet;

namespace EdgeMigrate.Simulator.Cli;

/// <summary><c>drive</c>: the scenario's devices publish live telemetry to a real silo's broker (demo and load generator).</summary>
internal static class DriveCommand
{
    public static Command Create()
    {
        var options = new ScenarioOptions();
        var mqttUrl = new Option<string>("--mqtt-url") { Description = "Broker the silo listens on", DefaultValueFactory = _ => "mqtt://127.0.0.1:1883" };
        var speedup = new Option<double>("--speedup") { Description = "Simulated seconds per wall-clock second (1 = real time)", DefaultValueFactory = _ => 1 };
        var listDevices = new Option<bool>("--list-devices") { Description = "Print the scenario's device ids (as they appear in topics) and exit, e.g. to register their services first" };
        var command = new Command("drive", "Publish the scenario's devices as live MQTT telemetry to a silo (paced to wall time)");
        options.AddTo(command);
        command.Options.Add(mqttUrl);
        command.Options.Add(speedup);
        command.Options.Add(listDevices);
        command.SetAction((parse, cancellationToken) => CommandErrors.Guard(async () =>
        {
            if (!MqttBrokerAddress.TryParse(parse.GetValue(mqttUrl)!, out var broker, out var problem))
            {
                throw new ScenarioException($"--mqtt-url {problem}");
            }

            var factor = parse.GetValue(speedup);
            if (!(factor > 0 && factor <= 1000))
            {
                throw new ScenarioException("--speedup must be within (0, 1000]");
            }

            var (spec, baseDirectory) = options.Resolve(parse);
            var prepared = options.Prepare(parse, spec, baseDirectory);
            if (parse.GetValue(listDevices))
            {
                for (var device = 0; device < prepared.Mobility.DeviceCount; device++)
                {
                    Console.Out.WriteLine(TelemetryDriver.TopicSafe(prepared.Mobility.DeviceId(device)));
                }

                return 0;
            }

            var client = new MqttClientFactory().CreateMqttClient();
            try
            {
                await DriveAsync(client, broker, prepared, factor, prepared.Settings.CandidateSites, cancellationToken);
            }
            finally
            {
                await client.DisconnectAndDisposeAsync();
            }

            return 0;
        }));
        return command;
    }

    private static async Task DriveAsync(IMqttClient client, MqttBrokerAddress broker, PreparedScenario prepared, double factor, int candidates, CancellationToken cancellationToken)
    {
        try
        {
            await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(broker.Host, broker.Port).WithClientId($"edgemigrate-sim-drive-{Environment.ProcessId}").Build(), cancellationToken);
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException ex)
        {
            throw new IOException($"cannot reach the broker at {broker}: {ex.Message}", ex);
        }

        var driver = new TelemetryDriver(prepared, client, factor, candidates, TimeProvider.System);
        Console.Out.WriteLine($"driving {prepared.Description}: {prepared.Mobility.DeviceCount} devices, {prepared.Sites.Count} sites, {prepared.Settings.DurationSeconds:0} s at {factor:0.##}x to {broker}");
        var lastPrint = TimeProvider.System.GetTimestamp();
        await driver.RunAsync(TimeProvider.System.GetUtcNow(), t =>
        {
            if (TimeProvider.System.GetElapsedTime(lastPrint) >= TimeSpan.FromSeconds(5))
            {
                lastPrint = TimeProvider.System.GetTimestamp();
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"t={t,6:0} s  active devices {driver.ActiveDevices,5}  reports sent {driver.Sent,8}"));
            }
        }, cancellationToken);
        Console.Out.WriteLine($"done: {driver.Sent} reports sent");
    }
}
