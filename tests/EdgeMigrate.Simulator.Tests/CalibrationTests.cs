using EdgeMigrate.Decision.Costs;
using EdgeMigrate.Decision.Costs.Calibration;
using EdgeMigrate.Models;
using EdgeMigrate.Simulation.Calibration;
using EdgeMigrate.Simulation.Mobility;

namespace EdgeMigrate.Simulator.Tests;

/// <summary>Reading measured migrations (the benchmark's recorded tables, the silo's migration history) and calibrating on them.</summary>
[Trait("Category", "Unit")]
public sealed class CalibrationTests
{
    private const double MiB = MigrationCostParameters.Mebibyte;

    [Fact]
    public void The_benchmark_tables_in_bench_results_calibrate_the_model_closer_to_what_was_measured()
    {
        var history = BenchmarkTableReader.Read(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "bench", "RESULTS.md")), "RESULTS.md");

        Assert.True(history.Migrations.Count >= 20, $"{history.Migrations.Count} migrations read");
        Assert.Contains(history.Migrations, m => m.Group == "container x64 → x64" && m.Mode == MigrationMode.StopAndCopy && m.MemoryBytes == 256 * MiB);
        Assert.Contains(history.Migrations, m => m.Group == "wasm x64 → arm64");
        Assert.All(history.Migrations, m => Assert.True(m.DowntimeSeconds > 0 && m.TotalSeconds >= m.DowntimeSeconds * 0.5, m.Name));

        var groups = CostModelCalibration.Fit(history.Migrations, TestContext.Current.CancellationToken);
        var before = CalibrationReport.MedianErrors(history.Migrations, m => CostModelCalibration.Assumed(m, MigrationCostParameters.Default));
        var after = CalibrationReport.MedianErrors(history.Migrations, m => groups.Single(g => g.Group == m.Group).ParametersFor(m.Workload, m.MemoryBytes, m.Mode, asMeasured: true));

        Assert.True(after.Downtime < 0.2 && after.Downtime < before.Downtime / 2, $"downtime error {before.Downtime:P0} before, {after.Downtime:P0} after");
        Assert.True(after.Total < 0.2 && after.Total < before.Total / 2, $"total time error {before.Total:P0} before, {after.Total:P0} after");
        var container = groups.Single(g => g.Group == "container x64 → x64");
        Assert.InRange(container.BandwidthBytesPerSecond * 8 / 1e6, 60, 110); // a 100 Mbit/s tbf link
    }

    [Fact]
    public void A_broken_benchmark_table_names_the_line_and_column()
    {
        const string table = "| MiB | dirty MiB/s | mode | result | live rounds | on the wire MiB | final delta MiB | downtime ms (target) | client pause ms | longest live pause ms | running on target after s |\n"
            + "|---:|---:|---|---|---:|---:|---:|---:|---:|---:|---:|\n"
            + "| 64 | 4 | pre-copy | committed | 5 | 112.7 | 1.61 | fast | 2293 | 879 | 18.5 |\n";

        var error = Assert.Throws<MobilityInputException>(() => BenchmarkTableReader.Read(table, "bench.md"));

        Assert.Contains("bench.md line 3", error.Message, StringComparison.Ordinal);
        Assert.Contains("downtime ms (target)", error.Message, StringComparison.Ordinal);
        Assert.Throws<MobilityInputException>(() => BenchmarkTableReader.Read("# nothing here\n", "empty.md"));
    }

    [Fact]
    public void The_silo_migration_history_gives_downtime_duration_rounds_and_memory()
    {
        var history = MigrationHistoryReader.Read(Migrations, Services, Nodes, "migrations.json");

        Assert.Equal(2, history.Migrations.Count);
        Assert.Equal(1, history.Skipped["state rolled-back"]);
        var first = history.Migrations[0];
        Assert.Equal("svc-1-m0001", first.Name);
        Assert.Equal("container edge-a → edge-b", first.Group);
        Assert.Equal("counter", first.Workload);
        Assert.Equal(MigrationMode.PreCopy, first.Mode);
        Assert.Equal(64 * MiB, first.MemoryBytes);                 // from /api/services
        Assert.Equal(2.192, first.DowntimeSeconds, 9);
        Assert.Equal(18.5, first.TotalSeconds, 9);                 // requested 10:00:00, restored 10:00:18.5
        Assert.Equal(3, first.LiveRounds);
        Assert.Equal(1_688_000, first.FinalDeltaBytes);
        Assert.Equal(94e6 / 8, first.NominalBandwidthBytesPerSecond);
        Assert.Equal(("site-a", "site-b"), first.Path);
        Assert.Equal(2 * MiB, first.StopThresholdBytes);
        Assert.Equal(6, first.MaxRounds);
        var second = history.Migrations[1];
        Assert.Equal(MigrationMode.StopAndCopy, second.Mode);
        Assert.Equal(70_000_000, second.MemoryBytes);               // no service record: its final delta
        Assert.Equal((3.1, 94.0), (history.Links[("site-a", "site-b")].RttMs, history.Links[("site-a", "site-b")].Mbps));
    }

    [Fact]
    public void A_migration_history_that_is_not_a_json_array_is_refused_with_the_file_name()
    {
        Assert.Contains("migrations.json", Assert.Throws<MobilityInputException>(() => MigrationHistoryReader.Read("{\"state\":1}", source: "migrations.json")).Message, StringComparison.Ordinal);
        Assert.Contains("not JSON", Assert.Throws<MobilityInputException>(() => MigrationHistoryReader.Read("[{", source: "migrations.json")).Message, StringComparison.Ordinal);
    }

    // The shape of GET /api/migrations, /api/services and /api/nodes (docs/operator-api.md), with the saga's notes as MigrationGrain writes them.
    private const string Migrations = """
        [
          {"plan":{"migrationId":"svc-1-m0001","serviceId":"svc-1","sourceNodeId":"edge-a","targetNodeId":"edge-b","mode":"pre-copy","engine":"container","workload":"counter","reason":"reactive","limits":{"maxRounds":6,"stopThresholdBytes":2097152,"maxMbps":0}},
           "state":"committed","requestedAt":"2026-11-25T10:00:00+00:00","updatedAt":"2026-11-25T10:00:19+00:00","rounds":3,"bytesSent":120000000,"downtimeMs":2192,"migrationId":"svc-1-m0001",
           "history":[
             {"at":"2026-11-25T10:00:00+00:00","state":"requested","note":"pre-copy of svc-1 edge-a → edge-b: reactive"},
             {"at":"2026-11-25T10:00:00.5+00:00","state":"requested","note":"edge-b accepted"},
             {"at":"2026-11-25T10:00:08+00:00","state":"precopy","note":"round 1: sent 67200000 B, 9000000 B dirty"},
             {"at":"2026-11-25T10:00:12+00:00","state":"precopy","note":"round 2: sent 9100000 B, 4000000 B dirty"},
             {"at":"2026-11-25T10:00:15+00:00","state":"precopy","note":"round 3: sent 4100000 B, 1600000 B dirty"},
             {"at":"2026-11-25T10:00:16+00:00","state":"final","note":"source frozen; final delta 1688000 B"},
             {"at":"2026-11-25T10:00:18.5+00:00","state":"restored","note":"running on edge-b; downtime 2192.0 ms"},
             {"at":"2026-11-25T10:00:19+00:00","state":"committed","note":"source removed its copy"}]},
          {"plan":{"migrationId":"svc-2-m0001","serviceId":"svc-2","sourceNodeId":"edge-a","targetNodeId":"edge-b","mode":"stop-and-copy","engine":"container","workload":"counter","reason":"operator"},
           "state":"committed","requestedAt":"2026-11-25T10:01:00+00:00","updatedAt":"2026-11-25T10:01:09+00:00","rounds":0,"bytesSent":70000000,"downtimeMs":7730,
           "history":[
             {"at":"2026-11-25T10:01:00+00:00","state":"requested","note":"stop-and-copy of svc-2 edge-a → edge-b: operator"},
             {"at":"2026-11-25T10:01:00.4+00:00","state":"final","note":"source frozen; final delta 70000000 B"},
             {"at":"2026-11-25T10:01:08.4+00:00","state":"restored","note":"running on edge-b; downtime 7730.0 ms"},
             {"at":"2026-11-25T10:01:09+00:00","state":"committed","note":"source removed its copy"}]},
          {"plan":{"migrationId":"svc-3-m0001","serviceId":"svc-3","sourceNodeId":"edge-a","targetNodeId":"edge-b","mode":"pre-copy","engine":"wasm","workload":"memhog","reason":"operator"},
           "state":"rolled-back","requestedAt":"2026-11-25T10:02:00+00:00","updatedAt":"2026-11-25T10:02:09+00:00","rounds":1,"bytesSent":1,"error":"target offline","history":[]}
        ]
        """;

    private const string Services = """
        [{"spec":{"serviceId":"svc-1","engine":"container","workload":"counter","nodeId":"edge-a","memoryMiB":64},"nodeId":"edge-b","completedMigrations":1,"createdAt":"2026-11-25T09:00:00+00:00","updatedAt":"2026-11-25T10:00:19+00:00"}]
        """;

    private const string Nodes = """
        [{"nodeId":"edge-a","online":true,"lastStatusAt":"2026-11-25T10:00:00+00:00","siteId":"site-a","links":{"edge-b":{"rttMs":3.1,"mbps":94}}},
         {"nodeId":"edge-b","online":true,"lastStatusAt":"2026-11-25T10:00:00+00:00","siteId":"site-b","links":{}}]
        """;
}
