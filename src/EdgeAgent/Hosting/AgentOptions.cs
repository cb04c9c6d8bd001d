namespace EdgeMigrate.EdgeAgent.Hosting;

/// <summary>The agent's settings (configuration section "Agent"; the command line fills them).</summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>--node-id: this node's id in topics and the silo (letters, digits, '-', '_', '.', ':').</summary>
    public string NodeId { get; set; } = string.Empty;

    /// <summary>--mqtt-url: the broker, <c>mqtt://host:port</c>.</summary>
    public string MqttUrl { get; set; } = string.Empty;

    /// <summary>--listen: where the transfer server listens, HOST:PORT (port 0: any free port).</summary>
    public string Listen { get; set; } = "0.0.0.0:7701";

    /// <summary>--advertise: the transfer endpoint peers use (defaults to --listen when that names an address).</summary>
    public string? Advertise { get; set; }

    /// <summary>--runc-root: runc's state directory for this agent's containers.</summary>
    public string RuncRoot { get; set; } = "/run/edgemigrate-agent/runc";

    /// <summary>--work-dir: bundles, checkpoint images, logs.</summary>
    public string WorkDir { get; set; } = "/var/lib/edgemigrate-agent";

    /// <summary>--status-interval: how often the retained status is refreshed.</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>--run SERVICE=BUNDLE (repeatable): containers this agent starts at start-up.</summary>
    public List<string> Run { get; set; } = [];

    /// <summary>--run-wasm SERVICE=MODULE.wasm (repeatable; also --run with a .wasm path): wasm services started at start-up.</summary>
    public List<string> RunWasm { get; set; } = [];

    /// <summary>--wasm-config SERVICE=TEXT (repeatable): the em_init config of a wasm service started at start-up.</summary>
    public List<string> WasmConfig { get; set; } = [];

    /// <summary>--wasm-listen: where clients send requests to wasm services, IP:PORT (line protocol); null: no endpoint.</summary>
    public string? WasmListen { get; set; }

    /// <summary>--metrics-listen: where Prometheus scrapes this agent's metrics (<c>GET /metrics</c>), IP:PORT; null: not exported.</summary>
    public string? MetricsListen { get; set; }
}
