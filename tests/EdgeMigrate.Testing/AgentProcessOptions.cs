namespace EdgeMigrate.Testing;

/// <summary>What an <see cref="AgentProcess"/> is started with; each maps to one edgemigrate-agent option.</summary>
public sealed record AgentProcessOptions
{
    public required string NodeId { get; init; }

    /// <summary>The network namespace (/run/netns/NAME) to start the agent in; null: this process's namespace.</summary>
    public string? Netns { get; init; }

    /// <summary>--mqtt-url</summary>
    public required string MqttUrl { get; init; }

    /// <summary>--listen: the transfer server's address.</summary>
    public required string Listen { get; init; }

    /// <summary>The folder the agent's own folder ({Root}/{NodeId}: work dir, runc root, log) is made in.</summary>
    public required string Root { get; init; }

    /// <summary>--run SERVICE=BUNDLE values.</summary>
    public IReadOnlyList<string> Run { get; init; } = [];

    /// <summary>--run-wasm SERVICE=MODULE.wasm values.</summary>
    public IReadOnlyList<string> RunWasm { get; init; } = [];

    /// <summary>--wasm-config SERVICE=TEXT values (em_init config of a --run-wasm service).</summary>
    public IReadOnlyList<string> WasmConfig { get; init; } = [];

    /// <summary>--wasm-listen: the request endpoint of wasm services; null: none.</summary>
    public string? WasmListen { get; init; }

    /// <summary>--containerd-socket: the containerd engine's socket; null: no containerd engine.</summary>
    public string? ContainerdSocket { get; init; }

    /// <summary>The program to run; null: <see cref="AgentCommand.Built"/>.</summary>
    public AgentCommand? Command { get; init; }
}
