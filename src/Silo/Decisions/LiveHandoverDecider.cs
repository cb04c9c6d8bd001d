using System.Collections.Concurrent;
using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Decision.Placement;
using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;
using Microsoft.Extensions.Options;

namespace EdgeMigrate.Silo.Decisions;

/// <summary>
/// Runs a fleet's handover policy on a device's live telemetry: the device's measured RTT to each site is the
/// latency its service would have there; the same <see cref="DeviceObservation"/> and policies as the simulator.
/// </summary>
public sealed class LiveHandoverDecider(SiteDirectory sites, HandoverModelHolder models, IOptions<DecisionOptions> options)
{
    private readonly ConcurrentDictionary<PolicySettings, IHandoverPolicy> _policies = new();

    /// <summary>A migration to request, or null to stay (or when the report lacks what the policy needs).</summary>
    public async ValueTask<(LiveDecision? Decision, string Outcome)> DecideAsync(TelemetryMessage report, ServiceSnapshot service, FleetPolicySnapshot fleet, DeviceDecisionState state)
    {
        var key = new PolicyKey(fleet.FleetId, fleet.Revision);
        if (state.Key != key)
        {
            state.Reset(key);
        }

        var table = await sites.GetAsync();
        var hosting = table.SiteOfNode(service.NodeId);
        if (hosting is null || report.RttMs is null || !report.RttMs.ContainsKey(hosting.SiteId))
        {
            return (null, "no-data");
        }

        var measurements = new List<SiteMeasurement>(report.RttMs.Count);
        foreach (var (siteId, rtt) in report.RttMs)
        {
            if (table.Find(siteId) is { } site)
            {
                var distance = site.Position is { } p ? report.Position.DistanceMetresTo(p) : double.PositiveInfinity;
                measurements.Add(new SiteMeasurement(site.Index, rtt, distance));
            }
        }

        state.Origin ??= report.Timestamp;
        var observation = new DeviceObservation(
            Device: 0,
            TimeSeconds: (report.Timestamp - state.Origin.Value).TotalSeconds,
            Position: report.Position,
            ServingSite: table.Find(report.ServingSiteId)?.Index ?? -1,
            HostingSite: hosting.Index,
            MigrationInFlight: service.ActiveMigrationId is not null,
            Sites: measurements.ToArray());

        var settings = fleet.Settings;
        var decision = settings.Policy == PolicyCatalog.Predictive.Name && models.Current is { } model
            ? new PredictivePolicy(settings, model.Model, (from, to) => MigrationSeconds(service, table.Sites[from], table.Sites[to], settings.Mode))
                .Decide(in observation, ref state.Policy, state.Window)
            : PolicyFor(settings).Decide(in observation, ref state.Policy);
        if (!decision.Migrate)
        {
            return (null, "stay");
        }

        var target = table.Sites[decision.TargetSite];
        var source = hosting.Nodes.FirstOrDefault(n => n.NodeId == service.NodeId);
        var node = source is null ? null : target.Nodes.FirstOrDefault(n => PlacementCheck.WhyNot(service.Spec.Engine, fleet.Settings.Mode, source, n) is null);
        return node is null
            ? (null, "no-target")
            : (new LiveDecision(node.NodeId, target.SiteId, $"{fleet.Settings.Policy}: site {target.SiteId} expected better than {hosting.SiteId}"), "migrate");
    }

    /// <summary>How long moving this service between two sites should take, by the same cost model the simulator uses.</summary>
    private double MigrationSeconds(ServiceSnapshot service, EdgeSite from, EdgeSite to, MigrationMode mode)
    {
        var link = from.Nodes.Select(n => n.Links.GetValueOrDefault(to.Nodes.FirstOrDefault()?.NodeId ?? string.Empty)).FirstOrDefault(l => l is not null);
        var mbps = link is { Mbps: > 0 } ? link.Mbps : options.Value.AssumedLinkMbps;
        return PreCopyCostModel.Estimate(new MigrationCostParameters
        {
            MemoryBytes = service.Spec.MemoryMiB * MigrationCostParameters.Mebibyte,
            BandwidthBytesPerSecond = mbps * 1_000_000 / 8,
            DirtyRateBytesPerSecond = options.Value.AssumedDirtyRateMiBps * MigrationCostParameters.Mebibyte,
            Mode = mode,
        }).TotalSeconds;
    }

    /// <summary>Policies without per-device memory of their own are shared; "predictive" without a loaded model runs as reactive.</summary>
    private IHandoverPolicy PolicyFor(PolicySettings settings) =>
        _policies.GetOrAdd(settings, static s => PolicyCatalog.Create(s.Policy == PolicyCatalog.Predictive.Name ? s with { Policy = PolicyCatalog.Reactive.Name } : s));
}
