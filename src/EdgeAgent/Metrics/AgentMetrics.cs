using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace EdgeMigrate.EdgeAgent.Metrics;

/// <summary>The agent's instruments (meter <c>EdgeMigrate.Agent</c>), plus in-process totals for tests and logs.</summary>
public sealed class AgentMetrics
{
    public const string MeterName = "EdgeMigrate.Agent";
    private readonly Counter<long> _commandsRejected;
    private readonly Counter<long> _transfersRefused;
    private readonly Counter<long> _migrations;
    private readonly Histogram<double> _downtime;
    private readonly ConcurrentDictionary<string, long> _totals = new(StringComparer.Ordinal);

    public AgentMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _commandsRejected = meter.CreateCounter<long>("edgemigrate.agent.commands.rejected", description: "Commands refused, by reason");
        _transfersRefused = meter.CreateCounter<long>("edgemigrate.agent.transfers.refused", description: "Transfer connections refused, by reason");
        _migrations = meter.CreateCounter<long>("edgemigrate.agent.migrations", description: "Migrations ended, by role and outcome");
        _downtime = meter.CreateHistogram<double>("edgemigrate.agent.migration.downtime", unit: "ms", description: "Measured downtime: freeze on the source to running on the target");
    }

    public void CommandRejected(string reason) => Count(_commandsRejected, "commands.rejected", "reason", reason);

    public void TransferRefused(string reason) => Count(_transfersRefused, "transfers.refused", "reason", reason);

    public void MigrationEnded(string role, string outcome) => Count(_migrations, "migrations", "outcome", $"{role}.{outcome}");

    public void Downtime(double ms) => _downtime.Record(ms);

    /// <summary>Total of a counter over all tags, e.g. "commands.rejected"; or one tag value, e.g. "commands.rejected/malformed-json".</summary>
    public long Total(string name) => _totals.GetValueOrDefault(name);

    private void Count(Counter<long> counter, string name, string tag, string value)
    {
        counter.Add(1, new KeyValuePair<string, object?>(tag, value));
        _totals.AddOrUpdate(name, 1, static (_, v) => v + 1);
        _totals.AddOrUpdate($"{name}/{value}", 1, static (_, v) => v + 1);
    }
}
