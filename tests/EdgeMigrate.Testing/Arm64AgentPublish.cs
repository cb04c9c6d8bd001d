namespace EdgeMigrate.Testing;

/// <summary>The published linux-arm64 agent and how long publishing took (zero when it came from the cache).</summary>
public sealed record Arm64AgentPublish(string Binary, TimeSpan PublishTime);
