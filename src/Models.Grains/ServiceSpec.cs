namespace EdgeMigrate.Models.Grains;

/// <summary>What an operator registers: a stateful workload, where it runs now, and whom it follows.</summary>
[GenerateSerializer, Immutable, Alias("EdgeMigrate.ServiceSpec")]
public sealed record ServiceSpec
{
    [Id(0)] public required string ServiceId { get; init; }
    [Id(1)] public required WorkloadEngine Engine { get; init; }

    /// <summary>Container image/bundle name, or wasm module name.</summary>
    [Id(2)] public required string Workload { get; init; }
    [Id(3)] public required string NodeId { get; init; }
    [Id(4)] public double MemoryMiB { get; init; } = 64;
    [Id(5)] public string? DeviceId { get; init; }
    [Id(6)] public string? FleetId { get; init; }
}
