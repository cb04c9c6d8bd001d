using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeMigrate.EdgeAgent.Wasm;

namespace EdgeMigrate.EdgeAgent.Tests.CrossIsa;

/// <summary>
/// Cross-ISA migration end to end: the real silo, an x86-64 agent in this process and an arm64 agent (the
/// agent published for linux-arm64, under qemu). A running fusion.wasm service moves x86-64 → arm64 → x86-64
/// through <c>POST /api/services/{id}/migrate</c> while a client keeps sending requests; every answer equals
/// that of an unmigrated reference instance fed the same requests. Containers and non-migratable modules are
/// refused before anything moves.
/// </summary>
[Trait("Category", TestCategories.CrossIsa)]
public sealed partial class CrossIsaMigrationTests(CrossIsaFixture fixture) : IClassFixture<CrossIsaFixture>
{
    [Fact]
    public async Task Fusion_moves_to_arm64_and_back_with_its_state_intact()
    {
        var ct = TestContext.Current.CancellationToken;
        using var created = await fixture.Silo.Http.PostAsJsonAsync("/api/services", new { serviceId = CrossIsaFixture.FusionService, engine = "wasm", workload = "fusion.wasm", nodeId = CrossIsaFixture.X64Node, memoryMiB = 2 }, ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));

        // The unmigrated reference: same module, same requests, in this process.
        using var host = new WasmHost();
        using var image = host.LoadModuleFile(fixture.ModulePath("fusion"));
        var referenceData = Directory.CreateTempSubdirectory("em-crossisa-ref-").FullName;
        using var reference = await WasmWorkload.StartAsync(image, new WasmWorkloadOptions { DataDirectory = referenceData }, ct);
        using var client = new WasmLineClient(fixture.RequestsOf, CrossIsaFixture.FusionService, CrossIsaFixture.X64Node);
        var next = 0;

        async Task SendAndCompareAsync(int count)
        {
            for (var end = next + count; next < end; next++)
            {
                var request = Fusion(next);
                var answer = await client.SendAsync(request, ct);
                var expected = await reference.HandleTextAsync(request, ct);
                Assert.True(expected == answer, $"request {next} '{request}' on {client.Node}: answered '{answer}', the reference '{expected}'");
            }
        }

        await SendAndCompareAsync(40);
        var memoryBytes = reference.MemoryBytes;

        // Out to arm64, with requests flowing during the migration.
        var there = await MigrateWhileServingAsync(CrossIsaFixture.ArmNode, () => SendAndCompareAsync(1), ct);
        await SendAndCompareAsync(20);
        Assert.Equal(CrossIsaFixture.ArmNode, client.Node);
        var arm = (await fixture.NodeAsync(CrossIsaFixture.ArmNode, ct))!;
        Assert.Equal("arm64", arm["arch"]!.GetValue<string>());
        await Eventually.GetAsync(() => fixture.NodeAsync(CrossIsaFixture.ArmNode, ct), n => n!["services"]!.AsArray().Any(s => s!.GetValue<string>() == CrossIsaFixture.FusionService), "edge-arm64 to report svc-fusion", cancellationToken: ct);

        // And back to x86-64.
        var back = await MigrateWhileServingAsync(CrossIsaFixture.X64Node, () => SendAndCompareAsync(1), ct);
        await SendAndCompareAsync(20);
        Assert.Equal(CrossIsaFixture.X64Node, client.Node);
        Assert.Equal("stats", Fusion(6));
        var stats = await client.SendAsync("stats", ct);
        Assert.Equal(await reference.HandleTextAsync("stats", ct), stats);

        foreach (var (migration, label) in new[] { (there, "x64 → arm64"), (back, "arm64 → x64") })
        {
            Assert.Equal("committed", migration.GetProperty("state").GetString());
            Assert.True(migration.GetProperty("rounds").GetInt32() >= 1, $"{label}: no pre-copy round");
            // fusion has only 2 memory pages, both touched by every request: the pre-copy saving is shown with memhog below.
            var finalDelta = FinalDelta(migration);
            Assert.True(migration.GetProperty("downtimeMs").GetDouble() > 0, $"{label}: no downtime measured");
            TestContext.Current.SendDiagnosticMessage(string.Create(CultureInfo.InvariantCulture,
                $"{label}: rounds {migration.GetProperty("rounds").GetInt32()}, bytes {migration.GetProperty("bytesSent").GetInt64()}, final delta {finalDelta} B of {memoryBytes} B memory, downtime {migration.GetProperty("downtimeMs").GetDouble():0.0} ms"));
            foreach (var step in migration.GetProperty("history").EnumerateArray())
            {
                TestContext.Current.SendDiagnosticMessage($"  {step.GetProperty("state").GetString()}: {step.GetProperty("note").GetString()}");
            }
        }

        TestContext.Current.SendDiagnosticMessage($"{next + 1} requests, {client.Redirects} redirected by 'moved'; publish {fixture.PublishTime}");
        Directory.Delete(referenceData, recursive: true);
    }

    [Fact]
    public async Task Pre_copy_sends_less_than_the_whole_memory_in_the_final_pause()
    {
        var ct = TestContext.Current.CancellationToken;
        const string service = "svc-memhog";
        await fixture.StartOnX64Async(service, "memhog", "mib=8 dirty=2", ct);
        using var created = await fixture.Silo.Http.PostAsJsonAsync("/api/services", new { serviceId = service, engine = "wasm", workload = "memhog.wasm", nodeId = CrossIsaFixture.X64Node, memoryMiB = 8 }, ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));
        using var host = new WasmHost();
        using var image = host.LoadModuleFile(fixture.ModulePath("memhog"));
        using var reference = await WasmWorkload.StartAsync(image, new WasmWorkloadOptions { Config = "mib=8 dirty=2"u8.ToArray() }, ct);
        using var client = new WasmLineClient(fixture.RequestsOf, service, CrossIsaFixture.X64Node);
        var i = 0;
        async Task OneAsync()
        {
            var request = $"tick {i++}";
            Assert.Equal(await reference.HandleTextAsync(request, ct), await client.SendAsync(request, ct));
        }

        for (var k = 0; k < 10; k++)
        {
            await OneAsync();
        }

        // A device's pace (5 requests/s, 2 dirty pages each), not a flood: pre-copy converges.
        var migration = await MigrateWhileServingAsync(CrossIsaFixture.ArmNode, service, async () =>
        {
            await OneAsync();
            await Task.Delay(180, ct);
        }, ct);
        for (var k = 0; k < 5; k++)
        {
            await OneAsync();
        }

        Assert.Equal("committed", migration.GetProperty("state").GetString());
        Assert.Equal(CrossIsaFixture.ArmNode, client.Node);
        var memoryBytes = reference.MemoryBytes;
        var finalDelta = FinalDelta(migration);
        var finalPages = migration.GetProperty("lastDirtyBytes").GetInt64();
        TestContext.Current.SendDiagnosticMessage(string.Create(CultureInfo.InvariantCulture,
            $"memhog x64 → arm64: rounds {migration.GetProperty("rounds").GetInt32()}, bytes {migration.GetProperty("bytesSent").GetInt64()}, final chunk {finalDelta} B ({finalPages} B of pages) of {memoryBytes} B memory, downtime {migration.GetProperty("downtimeMs").GetDouble():0.0} ms, {i} requests"));
        foreach (var step in migration.GetProperty("history").EnumerateArray())
        {
            TestContext.Current.SendDiagnosticMessage($"  {step.GetProperty("state").GetString()}: {step.GetProperty("note").GetString()}");
        }

        Assert.True(migration.GetProperty("rounds").GetInt32() >= 1);
        Assert.True(finalDelta < memoryBytes, $"final delta {finalDelta} B is not less than the whole memory ({memoryBytes} B)");
    }

    [Fact]
    public async Task Container_service_to_the_arm64_node_is_refused_with_a_reason()
    {
        var ct = TestContext.Current.CancellationToken;
        using var created = await fixture.Silo.Http.PostAsJsonAsync("/api/services", new { serviceId = "svc-box", engine = "container", workload = "counter", nodeId = CrossIsaFixture.X64Node, memoryMiB = 32 }, ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));

        using var response = await fixture.Silo.Http.PostAsJsonAsync("/api/services/svc-box/migrate", new { targetNodeId = CrossIsaFixture.ArmNode, mode = "pre-copy" }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        TestContext.Current.SendDiagnosticMessage($"container → arm64: {(int)response.StatusCode} {body}");

        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var arm = (await fixture.NodeAsync(CrossIsaFixture.ArmNode, ct))!;
        var armHasContainers = arm["engines"]!.AsArray().Any(e => e!.GetValue<string>() == "container");
        Assert.Contains(armHasContainers ? "cannot restore on arm64" : "has no container engine", body, StringComparison.Ordinal);
        var service = await fixture.Silo.GetAsync<JsonElement>("/api/services/svc-box", ct);
        Assert.Equal(CrossIsaFixture.X64Node, service.GetProperty("nodeId").GetString());
    }

    [Fact]
    public async Task Non_migratable_module_is_refused_before_anything_moves()
    {
        var ct = TestContext.Current.CancellationToken;
        using var created = await fixture.Silo.Http.PostAsJsonAsync("/api/services", new { serviceId = CrossIsaFixture.RefusedService, engine = "wasm", workload = "refused-fusion-stack-pointer-hidden.wasm", nodeId = CrossIsaFixture.X64Node, memoryMiB = 2 }, ct);
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(ct));
        using var client = new WasmLineClient(fixture.RequestsOf, CrossIsaFixture.RefusedService, CrossIsaFixture.X64Node);
        var before = await client.SendAsync(Fusion(0), ct);

        var migration = await MigrateAsync(CrossIsaFixture.RefusedService, CrossIsaFixture.ArmNode, ct);

        Assert.Equal("rolled-back", migration.GetProperty("state").GetString());
        Assert.Contains("not migratable", migration.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("__stack_pointer", migration.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, migration.GetProperty("rounds").GetInt32());
        Assert.Equal(0, migration.GetProperty("bytesSent").GetInt64());
        // Still served where it was, state untouched (the second fix for veh-1 continues the first's filter).
        var service = await fixture.Silo.GetAsync<JsonElement>($"/api/services/{CrossIsaFixture.RefusedService}", ct);
        Assert.Equal(CrossIsaFixture.X64Node, service.GetProperty("nodeId").GetString());
        Assert.NotEmpty(before);
        Assert.NotEmpty(await client.SendAsync(Fusion(1), ct));
        Assert.Equal(CrossIsaFixture.X64Node, client.Node);
    }

    /// <summary>Starts a migration of svc-fusion and keeps serving requests (one at a time) until it ends.</summary>
    private Task<JsonElement> MigrateWhileServingAsync(string target, Func<Task> serveOne, CancellationToken ct) =>
        MigrateWhileServingAsync(target, CrossIsaFixture.FusionService, serveOne, ct);

    private async Task<JsonElement> MigrateWhileServingAsync(string target, string serviceId, Func<Task> serveOne, CancellationToken ct)
    {
        var migration = MigrateAsync(serviceId, target, ct);
        while (!migration.IsCompleted)
        {
            await serveOne();
            await Task.Delay(20, ct);
        }

        return await migration;
    }

    private async Task<JsonElement> MigrateAsync(string serviceId, string target, CancellationToken ct)
    {
        using var response = await fixture.Silo.Http.PostAsJsonAsync($"/api/services/{serviceId}/migrate", new { targetNodeId = target, mode = "pre-copy", reason = "cross-isa test" }, ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        Assert.True(response.IsSuccessStatusCode, $"migrate answered {(int)response.StatusCode}: {body}");
        var id = JsonDocument.Parse(body).RootElement.GetProperty("plan").GetProperty("migrationId").GetString()!;
        try
        {
            return await Eventually.GetAsync(
                () => fixture.Silo.GetAsync<JsonElement>($"/api/migrations/{id}", ct),
                m => m.GetProperty("state").GetString() is "committed" or "rolled-back" or "failed",
                $"migration {id} to end",
                TimeSpan.FromSeconds(120),
                ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{ex.Message}\narm64 agent output:\n{fixture.ArmLogTail()}", ex);
        }
    }

    /// <summary>The final delta from the saga's history ("source frozen; final delta N B").</summary>
    private static long FinalDelta(JsonElement migration)
    {
        foreach (var step in migration.GetProperty("history").EnumerateArray())
        {
            if (FinalDeltaNote().Match(step.GetProperty("note").GetString() ?? "") is { Success: true } m)
            {
                return long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"no final step in {migration}");
    }

    [GeneratedRegex(@"final delta (\d+) B")]
    private static partial Regex FinalDeltaNote();

    /// <summary>Deterministic sensor-fusion traffic (the same generator as the wasm library's tests).</summary>
    private static string Fusion(int i)
    {
        if (i % 7 == 6)
        {
            return "stats";
        }

        if (i % 5 == 4)
        {
            return $"get veh-{(i / 5) % 5}";
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"obs veh-{i % 5} {i * 0.8:F1} {(i * 41 % 97) + (i * 0.3):F2} {(i * 29 % 83) - (i * 0.7):F2}");
    }
}
