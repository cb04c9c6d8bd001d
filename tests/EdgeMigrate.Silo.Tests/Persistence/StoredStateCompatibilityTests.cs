using EdgeMigrate.Models;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Tests.Persistence;

/// <summary>Grain state written by an earlier silo still loads: serializer ids, aliases and type names are kept.</summary>
[Trait("Category", TestCategories.Persistence)]
public sealed class StoredStateCompatibilityTests
{
    [Fact]
    public async Task State_written_before_the_contract_split_loads_unchanged()
    {
        var ct = TestContext.Current.CancellationToken;
        var dataDir = Directory.CreateTempSubdirectory("edgemigrate-stored-").FullName;
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Persistence", "Fixtures", "state-before-contract-split.db"), Path.Combine(dataDir, "state.db"));
        await using var silo = await TestSilo.StartAsync(dataDir, cancellationToken: ct);

        var a = await silo.GetAsync<EdgeNodeSnapshot>("/api/nodes/gold-a", ct);
        Assert.Equal((true, CpuArchitecture.X64, "10.213.0.3:7701", "site-a"), (a.Online, a.Arch, a.TransferEndpoint, a.SiteId));
        Assert.Equal([WorkloadEngine.Container, WorkloadEngine.Wasm], a.Engines);
        Assert.Equal((3.1, 94.0), (a.Links["gold-b"].RttMs, a.Links["gold-b"].Mbps));
        Assert.Equal((40.64, -74.07), (a.Position!.Value.Lat, a.Position.Value.Lon));
        Assert.Equal(["svc-gold"], a.Services);
        Assert.Equal(["svc-open-m0001"], a.ActiveMigrations);
        var b = await silo.GetAsync<EdgeNodeSnapshot>("/api/nodes/gold-b", ct);
        Assert.Equal((CpuArchitecture.Arm64, 0, (object?)null), (b.Arch!.Value, b.Links.Count, (object?)b.Position));
        Assert.Equal([WorkloadEngine.Wasm], b.Engines);

        var device = await silo.GetAsync<DeviceSnapshot>("/api/devices/gold-bus", ct);
        Assert.Equal((40.6431, -74.0741, 41L, "svc-gold", "gold-fleet", 1L), (device.Position.Lat, device.Position.Lon, device.LastSequence!.Value, device.ServiceId, device.FleetId, device.AcceptedReports));
        Assert.Equal((11.8, 19.2), (device.RttMs["site-a"], device.RttMs["site-b"]));

        var policy = await silo.GetAsync<FleetPolicySnapshot>("/api/policies/gold-fleet", ct);
        Assert.Equal(("distance", 350.0, 25.0, MigrationMode.StopAndCopy, 1), (policy.Settings.Policy, policy.Settings.DistanceThresholdMetres, policy.Settings.SlaLatencyMs, policy.Settings.Mode, policy.Revision));

        var gold = await silo.GetAsync<ServiceSnapshot>("/api/services/svc-gold", ct);
        Assert.Equal(("gold-b", 1, "svc-gold-m0001", (string?)null, 96.0), (gold.NodeId, gold.CompletedMigrations, gold.LastMigrationId, gold.ActiveMigrationId, gold.Spec.MemoryMiB));

        var done = await silo.GetAsync<MigrationSnapshot>("/api/migrations/svc-gold-m0001", ct);
        Assert.Equal((MigrationState.Committed, 1, 1114112L, 262144L, 42.5, 80.5), (done.State, done.Rounds, done.BytesSent, done.LastDirtyBytes!.Value, done.DowntimeMs!.Value, done.LastRateMbps!.Value));
        Assert.Equal((5, 65536L, 0.0, WorkloadEngine.Wasm, "golden"), (done.Plan.Limits.MaxRounds, done.Plan.Limits.StopThresholdBytes, done.Plan.Limits.MaxMbps, done.Plan.Engine, done.Plan.Reason));
        Assert.Equal(
            [MigrationState.Requested, MigrationState.Requested, MigrationState.Requested, MigrationState.PreCopy, MigrationState.Final, MigrationState.Restored, MigrationState.Committed],
            done.History.Select(h => h.State));
        Assert.Equal("running on gold-b; downtime 42.5 ms", done.History[5].Note);

        var open = await silo.GetAsync<MigrationSnapshot>("/api/migrations/svc-open-m0001", ct);
        Assert.Equal((MigrationState.PreCopy, 4096L, 8, 2), (open.State, open.BytesSent, open.Plan.Limits.MaxRounds, open.History.Count));
    }
}
