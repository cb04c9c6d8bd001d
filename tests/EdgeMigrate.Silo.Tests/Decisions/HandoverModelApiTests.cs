using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using EdgeMigrate.Decision.Prediction;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Silo.Decisions;
using EdgeMigrate.Silo.Tests.Infrastructure;

namespace EdgeMigrate.Silo.Tests.Decisions;

/// <summary>The silo's handover model: uploaded at run time, a bad file refused with the current model kept, predictive fleets using it live.</summary>
[Trait("Category", TestCategories.Saga)]
public sealed partial class HandoverModelApiTests(SiloFixture fixture) : IClassFixture<SiloFixture>
{
    private TestSilo Silo => fixture.Silo;

    [Fact]
    public async Task A_model_is_swapped_in_a_bad_one_is_refused_and_predictive_fleets_use_it()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(HttpStatusCode.NotFound, (await Silo.Http.GetAsync("/api/model", ct)).StatusCode);

        var good = await PutModelAsync(TinyModel(seed: 1), ct);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        var loaded = (await good.Content.ReadFromJsonAsync<HandoverModelInfo>(TestSilo.Json, ct))!;
        Assert.StartsWith("hm", loaded.Version, StringComparison.Ordinal);

        byte[][] bad = [[1, 2, 3, 4], [.. TinyModel(seed: 1).Take(200)], []];
        foreach (var bytes in bad)
        {
            var refused = await PutModelAsync(bytes, ct);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
            Assert.Contains("the current one stays", await refused.Content.ReadAsStringAsync(ct), StringComparison.Ordinal);
        }

        Assert.Equal(loaded.Version, (await Silo.GetAsync<HandoverModelInfo>("/api/model", ct)).Version);

        // A predictive fleet now decides with the model on every report.
        await using var source = await ScriptedAgent.StartAsync(Silo.MqttPort, "pm-src", CpuArchitecture.X64, 7831, ct);
        await using var target = await ScriptedAgent.StartAsync(Silo.MqttPort, "pm-dst", CpuArchitecture.X64, 7832, ct);
        await Eventually.GetAsync(() => Silo.GetAsync<List<Models.Grains.EdgeNodeSnapshot>>("/api/nodes", ct), n => n.Count(x => x.NodeId.StartsWith("pm-", StringComparison.Ordinal)) == 2, "both nodes", cancellationToken: ct);
        Assert.Equal(HttpStatusCode.OK, (await Silo.Http.PutAsJsonAsync("/api/policies/fleet-pm", new { policy = "predictive" }, ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Silo.Http.PostAsJsonAsync("/api/services", new { serviceId = "svc-pm", engine = "wasm", workload = "kv.wasm", nodeId = "pm-src", deviceId = "bus-pm", fleetId = "fleet-pm" }, ct)).StatusCode);
        await using var bus = await TestMqttClient.ConnectAsync(Silo.MqttPort, "bus-pm", cancellationToken: ct);
        var start = TimeProvider.System.GetUtcNow().AddMinutes(-2);
        for (var i = 0; i < 12; i++)
        {
            await bus.PublishAsync(MqttTopics.Telemetry("bus-pm"), Payloads.Telemetry("bus-pm", lat: 40.60 + (i * 0.0005), sequence: i + 1, at: start.AddSeconds(i), servingSite: "pm-src",
                rttMs: new Dictionary<string, double> { ["pm-src"] = 5 + i, ["pm-dst"] = 20 - i }), ContractJsonContext.Default.TelemetryMessage, cancellationToken: ct);
        }

        var decided = await Eventually.GetAsync(async () => PredictiveDecisions(await Silo.Http.GetStringAsync("/metrics", ct)), n => n >= 12, "12 predictive decisions", cancellationToken: ct);
        Assert.Equal(12, decided);
    }

    [Fact]
    public async Task A_silo_started_with_a_broken_model_file_refuses_to_start_and_says_why()
    {
        var ct = TestContext.Current.CancellationToken;
        var broken = Path.Combine(Directory.CreateTempSubdirectory("edgemigrate-model-").FullName, "model.zip");
        await File.WriteAllBytesAsync(broken, [.. TinyModel(seed: 2).Take(300)], ct);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in new[] { RepositoryPaths.SiloDll, "--model", broken, "--http-port", "0", "--mqtt-port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--silo-port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture), "--gateway-port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--data-dir", Path.GetDirectoryName(broken)! })
        {
            start.ArgumentList.Add(arg);
        }

        using var silo = System.Diagnostics.Process.Start(start)!;
        var stdout = silo.StandardOutput.ReadToEndAsync(ct);
        var stderr = await silo.StandardError.ReadToEndAsync(ct);
        await silo.WaitForExitAsync(ct);
        await stdout;

        Assert.Equal(2, silo.ExitCode);
        Assert.Contains($"edgemigrate-silo: --model refused: {broken}", stderr, StringComparison.Ordinal);
    }

    private Task<HttpResponseMessage> PutModelAsync(byte[] bytes, CancellationToken ct)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new("application/zip");
        return Silo.Http.PutAsync("/api/model", content, ct);
    }

    /// <summary>A real model file trained on made-up examples: enough to exercise loading and serving, not quality.</summary>
    private static byte[] TinyModel(int seed)
    {
        var random = new Random(seed);
        var examples = Enumerable.Range(0, 400).Select(i => new HandoverExample(
            [.. Enumerable.Range(0, HandoverFeatures.Count).Select(_ => (float)random.NextDouble())],
            (float)(random.NextDouble() * 100), i % 3, i / 10)).ToList();
        var reach = Enumerable.Range(0, 400).Select(i => new SiteReachExample(
            [.. Enumerable.Range(0, SiteReachFeatures.Count).Select(_ => (float)random.NextDouble())],
            (float)(random.NextDouble() * 300), i / 10)).ToList();
        using var model = HandoverTrainer.Train(new HandoverDataset(examples, reach), new HandoverTrainingOptions { Seed = seed, Trees = 5, Leaves = 4 });
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }

    private static long PredictiveDecisions(string metrics) =>
        DecisionCount().Matches(metrics).Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex("""^edgemigrate_decision_outcomes_total\{[^}]*policy="predictive"[^}]*\} (\d+)""", RegexOptions.Multiline)]
    private static partial Regex DecisionCount();
}
