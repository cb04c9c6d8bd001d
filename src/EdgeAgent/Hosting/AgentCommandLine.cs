using System.CommandLine;
using System.Globalization;

namespace EdgeMigrate.EdgeAgent.Hosting;

/// <summary>The <c>edgemigrate-agent</c> command line: options become "Agent:*" settings of the host.</summary>
public static class AgentCommandLine
{
    public static RootCommand Build(Func<IDictionary<string, string?>, CancellationToken, Task<int>> run)
    {
        var nodeId = new Option<string>("--node-id") { Description = "This node's id (as the silo and the MQTT topics know it)", Required = true };
        var mqttUrl = new Option<string>("--mqtt-url") { Description = "MQTT broker, mqtt://HOST:PORT (the silo's embedded broker listens on 1883 by default)", Required = true };
        var listen = new Option<string>("--listen") { Description = "Transfer server address, IP:PORT (port 0: any free port)", DefaultValueFactory = _ => "0.0.0.0:7701" };
        var advertise = new Option<string?>("--advertise") { Description = "Transfer endpoint HOST:PORT announced to peers (default: --listen, when it names an address)" };
        var runcRoot = new Option<string>("--runc-root") { Description = "runc state directory for this agent's containers", DefaultValueFactory = _ => "/run/edgemigrate-agent/runc" };
        var workDir = new Option<string>("--work-dir") { Description = "Directory for bundles, checkpoint images and logs", DefaultValueFactory = _ => "/var/lib/edgemigrate-agent" };
        var statusInterval = new Option<double>("--status-interval") { Description = "Seconds between status refreshes", DefaultValueFactory = _ => 10 };
        var runServices = new Option<string[]>("--run") { Description = "SERVICE_ID=BUNDLE_DIR: start this OCI bundle as a service at start-up (repeatable); SERVICE_ID=MODULE.wasm starts a wasm service", AllowMultipleArgumentsPerToken = false };
        var runWasm = new Option<string[]>("--run-wasm") { Description = "SERVICE_ID=MODULE.wasm: start this WebAssembly module as a service at start-up (repeatable)", AllowMultipleArgumentsPerToken = false };
        var wasmConfig = new Option<string[]>("--wasm-config") { Description = "SERVICE_ID=TEXT: the config a --run-wasm service gets in em_init, e.g. 'svc-1=mib=128 dirty=4' (repeatable)", AllowMultipleArgumentsPerToken = false };
        var wasmListen = new Option<string?>("--wasm-listen") { Description = "IP:PORT of the request endpoint for wasm services (line protocol: 'SERVICE REQUEST' -> 'ok ANSWER'); off when absent" };
        var metricsListen = new Option<string?>("--metrics-listen") { Description = "IP:PORT where Prometheus scrapes this agent's metrics (GET /metrics); off when absent" };

        var root = new RootCommand("EdgeMigrate edge agent: reports node status over MQTT, runs services in runc containers (CRIU pre-copy) or as WebAssembly (Wasmtime, any architecture) and live-migrates them to peer agents on the silo's command.")
        {
            nodeId, mqttUrl, listen, advertise, runcRoot, workDir, statusInterval, runServices, runWasm, wasmConfig, wasmListen, metricsListen,
        };
        root.SetAction((result, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>
            {
                ["Agent:NodeId"] = result.GetValue(nodeId),
                ["Agent:MqttUrl"] = result.GetValue(mqttUrl),
                ["Agent:Listen"] = result.GetValue(listen),
                ["Agent:Advertise"] = result.GetValue(advertise),
                ["Agent:RuncRoot"] = result.GetValue(runcRoot),
                ["Agent:WorkDir"] = result.GetValue(workDir),
                ["Agent:StatusInterval"] = TimeSpan.FromSeconds(result.GetValue(statusInterval)).ToString("c", CultureInfo.InvariantCulture),
                ["Agent:WasmListen"] = result.GetValue(wasmListen),
                ["Agent:MetricsListen"] = result.GetValue(metricsListen),
            };
            var runs = result.GetValue(runServices) ?? [];
            for (var i = 0; i < runs.Length; i++)
            {
                settings[$"Agent:Run:{i}"] = runs[i];
            }

            var wasmRuns = result.GetValue(runWasm) ?? [];
            for (var i = 0; i < wasmRuns.Length; i++)
            {
                settings[$"Agent:RunWasm:{i}"] = wasmRuns[i];
            }

            var configs = result.GetValue(wasmConfig) ?? [];
            for (var i = 0; i < configs.Length; i++)
            {
                settings[$"Agent:WasmConfig:{i}"] = configs[i];
            }

            return run(settings, cancellationToken);
        });
        return root;
    }
}
