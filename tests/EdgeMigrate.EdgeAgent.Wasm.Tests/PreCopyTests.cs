using System.Text;

namespace EdgeMigrate.EdgeAgent.Wasm.Tests;

[Collection(WasmCollection.Name)]
[Trait("Category", TestCategories.Wasm)]
public sealed class PreCopyTests(SampleModulesFixture samples)
{
    private const int Mib = 16;
    private const int DirtyPerRequest = 8;
    private static readonly byte[] Config = Encoding.UTF8.GetBytes($"mib={Mib} dirty={DirtyPerRequest}");

    [Fact]
    public async Task Rounds_send_only_changed_pages_and_the_final_pause_sends_less_than_the_memory()
    {
        var ct = TestContext.Current.CancellationToken;
        var image = samples.Load("memhog");
        var options = new WasmWorkloadOptions { Config = Config };

        List<string> reference;
        using (var unmigrated = await WasmWorkload.StartAsync(image, options, ct))
        {
            reference = await Requests.SendAsync(unmigrated, Requests.Memhog, 0, 40, ct);
        }

        using var source = await WasmWorkload.StartAsync(image, options, ct);
        var answers = await Requests.SendAsync(source, Requests.Memhog, 0, 10, ct);
        var totalPages = source.MemoryBytes / WasmStateChunk.PageSize;
        Assert.True(totalPages >= Mib * 16, $"memory is {totalPages} pages");

        using var migration = source.BeginMigration();
        using var target = WasmMigrationTarget.Create(image, new WasmWorkloadOptions());

        var round0 = await migration.NextRoundAsync(ct);
        target.Apply(WasmStateChunk.Parse(round0.ToArray()));
        Assert.True(round0.Pages.Count >= Mib * 16, $"round 0 sent {round0.Pages.Count} pages");

        // Nothing ran since round 0: the next round has nothing to send.
        var idle = await migration.NextRoundAsync(ct);
        target.Apply(WasmStateChunk.Parse(idle.ToArray()));
        Assert.Empty(idle.Pages);

        answers.AddRange(await Requests.SendAsync(source, Requests.Memhog, 10, 5, ct));
        var round2 = await migration.NextRoundAsync(ct);
        target.Apply(WasmStateChunk.Parse(round2.ToArray()));
        // 5 requests × 8 dirty pages, plus the few pages holding the service's own variables and stack.
        Assert.InRange(round2.Pages.Count, 1, (5 * DirtyPerRequest) + 4);

        answers.AddRange(await Requests.SendAsync(source, Requests.Memhog, 15, 2, ct));
        var final = await migration.FreezeAsync(ct);
        Assert.Equal(WasmChunkKind.Final, final.Kind);
        Assert.InRange(final.Pages.Count, 1, (2 * DirtyPerRequest) + 4);
        Assert.True(final.PageBytes < source.MemoryBytes / 10, $"final pause sent {final.PageBytes} of {source.MemoryBytes} bytes");
        target.Apply(WasmStateChunk.Parse(final.ToArray()));
        migration.Complete();

        using var restored = target.Activate();
        answers.AddRange(await Requests.SendAsync(restored, Requests.Memhog, 17, 23, ct));
        Assert.Equal(reference, answers);
        Assert.Equal(
            [false, false, false, true],
            migration.Rounds.Select(r => r.IsFinal).ToArray());
    }

    [Fact]
    public async Task Requests_queue_at_the_gate_while_frozen_and_learn_the_workload_moved()
    {
        var ct = TestContext.Current.CancellationToken;
        var image = samples.Load("memhog");
        using var source = await WasmWorkload.StartAsync(image, new WasmWorkloadOptions { Config = "mib=1 dirty=2"u8.ToArray() }, ct);
        await source.HandleTextAsync("warm-up", ct);

        var migration = source.BeginMigration();
        await migration.NextRoundAsync(ct);
        await migration.FreezeAsync(ct);
        Assert.Equal(WasmWorkloadStatus.Frozen, source.Status);

        var queued = source.HandleTextAsync("while frozen", ct);
        await Task.Delay(200, ct);
        Assert.False(queued.IsCompleted, "a request ran while the workload was frozen");

        migration.Complete();
        await Assert.ThrowsAsync<WasmWorkloadMovedException>(() => queued);
        await Assert.ThrowsAsync<WasmWorkloadMovedException>(() => source.HandleTextAsync("after", ct));
    }

    [Fact]
    public async Task Resume_after_a_failed_migration_serves_the_queued_requests_with_nothing_lost()
    {
        var ct = TestContext.Current.CancellationToken;
        var image = samples.Load("memhog");
        var options = new WasmWorkloadOptions { Config = "mib=1 dirty=2"u8.ToArray() };
        List<string> reference;
        using (var unmigrated = await WasmWorkload.StartAsync(image, options, ct))
        {
            reference = await Requests.SendAsync(unmigrated, Requests.Memhog, 0, 4, ct);
        }

        using var source = await WasmWorkload.StartAsync(image, options, ct);
        var answers = await Requests.SendAsync(source, Requests.Memhog, 0, 2, ct);
        var migration = source.BeginMigration();
        await migration.FreezeAsync(ct);
        var queued = source.HandleTextAsync(Requests.Memhog(2), ct);
        await Task.Delay(100, ct);
        Assert.False(queued.IsCompleted);

        migration.Resume(); // e.g. the target refused or the link broke
        answers.Add(await queued);
        answers.Add(await source.HandleTextAsync(Requests.Memhog(3), ct));
        Assert.Equal(reference, answers);
        Assert.Equal(WasmWorkloadStatus.Running, source.Status);
    }

    [Fact]
    public async Task Pre_copy_round_runs_while_requests_keep_being_served()
    {
        var ct = TestContext.Current.CancellationToken;
        var image = samples.Load("memhog");
        var options = new WasmWorkloadOptions { Config = "mib=32 dirty=4"u8.ToArray() };
        List<string> reference;
        using (var unmigrated = await WasmWorkload.StartAsync(image, options, ct))
        {
            reference = await Requests.SendAsync(unmigrated, Requests.Memhog, 0, 60, ct);
        }

        using var source = await WasmWorkload.StartAsync(image, options, ct);
        using var migration = source.BeginMigration(new WasmMigrationOptions { PagesPerSlice = 16 });
        using var target = WasmMigrationTarget.Create(image, new WasmWorkloadOptions());

        // Requests and rounds interleave at call boundaries; the content hashes catch whatever changed.
        var traffic = Task.Run(() => Requests.SendAsync(source, Requests.Memhog, 0, 40, ct), ct);
        while (!traffic.IsCompleted)
        {
            target.Apply(await migration.NextRoundAsync(ct));
        }

        var answers = await traffic;
        target.Apply(await migration.NextRoundAsync(ct));
        target.Apply(await migration.FreezeAsync(ct));
        migration.Complete();
        using var restored = target.Activate();
        answers.AddRange(await Requests.SendAsync(restored, Requests.Memhog, 40, 20, ct));
        Assert.Equal(reference, answers);
    }
}
