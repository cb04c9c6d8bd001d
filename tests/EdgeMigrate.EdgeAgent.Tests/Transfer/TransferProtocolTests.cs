using System.Text.Json;
using EdgeMigrate.EdgeAgent.Tests.Infrastructure;
using EdgeMigrate.EdgeAgent.Transfer;

namespace EdgeMigrate.EdgeAgent.Tests.Transfer;

[Trait("Category", TestCategories.Transfer)]
public sealed class TransferProtocolTests : IAsyncLifetime
{
    private const int MiB = 1024 * 1024;
    private TransferHarness _harness = null!;
    private string _source = null!;

    public ValueTask InitializeAsync()
    {
        _harness = TransferHarness.Start();
        _source = Path.Combine(_harness.Root, "source");
        Directory.CreateDirectory(_source);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task Full_round_then_delta_round_rebuild_identical_files_and_only_changed_pages_cross()
    {
        var ct = TestContext.Current.CancellationToken;
        WriteImages(seed: 1, pagesBytes: 4 * MiB);
        var session = _harness.Expect("mig-1", "token-1");
        await using var sender = _harness.Sender("mig-1", "token-1");

        var first = await ImageDigest.ComputeAsync(_source, ct);
        await sender.SendRoundAsync(TransferRound.FromDigest(1, false, _source, first, null), ct);
        AssertSameFiles(session.ImagesDirectory);

        DirtyPages(pageIndexes: [3, 4, 5, 700]);
        var second = await ImageDigest.ComputeAsync(_source, ct);
        var delta = TransferRound.FromDigest(2, false, _source, second, first);
        var before = sender.BytesWritten;
        await sender.SendRoundAsync(delta, ct);

        AssertSameFiles(session.ImagesDirectory);
        Assert.Equal(4 * ImageDigest.BlockSize, delta.PayloadBytes);
        Assert.Equal(2, delta.Items.Count); // pages 3-5 coalesced, page 700 alone
        Assert.True(sender.BytesWritten - before < 20_000, $"a 4-page delta put {sender.BytesWritten - before} bytes on the wire");
        Assert.Equal(1, sender.Connections);
    }

    [Fact]
    public async Task Transfer_resumes_where_the_receiver_is_after_the_connection_is_cut_mid_stream()
    {
        var ct = TestContext.Current.CancellationToken;
        WriteImages(seed: 2, pagesBytes: 8 * MiB);
        var session = _harness.Expect("mig-2", "token-2");
        var cut = 0;
        _harness.Faults.OnSend = h => h.Seq == 60 && Interlocked.Exchange(ref cut, 1) == 0 ? FrameFault.DropConnection : FrameFault.None;
        await using var sender = _harness.Sender("mig-2", "token-2");

        var digest = await ImageDigest.ComputeAsync(_source, ct);
        var round = TransferRound.FromDigest(1, false, _source, digest, null);
        await sender.SendRoundAsync(round, ct);

        AssertSameFiles(session.ImagesDirectory);
        Assert.Equal(2, sender.Connections);
        Assert.Equal(2, session.Connections);
        // Resumed, not restarted: at most the frames in flight when the link broke were sent twice.
        Assert.True(sender.BytesWritten < round.PayloadBytes * 1.6, $"{sender.BytesWritten} bytes written for a {round.PayloadBytes}-byte round");
    }

    [Fact]
    public async Task A_corrupted_chunk_is_detected_and_sent_again()
    {
        var ct = TestContext.Current.CancellationToken;
        WriteImages(seed: 3, pagesBytes: 2 * MiB);
        var session = _harness.Expect("mig-3", "token-3");
        var corrupted = 0;
        _harness.Faults.OnSend = h => h.Seq == 10 && Interlocked.Exchange(ref corrupted, 1) == 0 ? FrameFault.CorruptPayload : FrameFault.None;
        await using var sender = _harness.Sender("mig-3", "token-3");

        var digest = await ImageDigest.ComputeAsync(_source, ct);
        await sender.SendRoundAsync(TransferRound.FromDigest(1, false, _source, digest, null), ct);

        AssertSameFiles(session.ImagesDirectory);
        Assert.Equal(1, session.Nacks);
        Assert.True(sender.Rewinds >= 1);
        Assert.Equal(1, sender.Connections);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_counted()
    {
        var ct = TestContext.Current.CancellationToken;
        _harness.Expect("mig-4", "the-real-token");
        await using var sender = _harness.Sender("mig-4", "a-guessed-token");

        var refused = await Assert.ThrowsAsync<TransferRefusedException>(() => sender.ConnectAsync(ct));

        Assert.Equal(RefusalCode.BadToken, refused.Code);
        Assert.Equal(1, _harness.Metrics.Total("transfers.refused/bad-token"));
    }

    [Fact]
    public async Task A_migration_the_receiver_was_not_told_about_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sender = _harness.Sender("mig-unknown", "token");

        var refused = await Assert.ThrowsAsync<TransferRefusedException>(() => sender.ConnectAsync(ct));

        Assert.Equal(RefusalCode.UnknownMigration, refused.Code);
        Assert.True(_harness.Metrics.Total("transfers.refused/unknown-migration") >= 2, "the sender retries an unknown migration a few times before giving up");
    }

    [Fact]
    public async Task Final_round_restores_and_reports_the_downtime_including_the_time_frozen_before_sending()
    {
        var ct = TestContext.Current.CancellationToken;
        WriteImages(seed: 5, pagesBytes: MiB);
        var restoredFrom = (string?)null;
        var session = _harness.Expect("mig-5", "token-5", new ReceiverCallbacks
        {
            Restore = (s, _) =>
            {
                restoredFrom = s.ImagesDirectory;
                return Task.FromResult(12.5);
            },
        });
        await using var sender = _harness.Sender("mig-5", "token-5");
        var digest = await ImageDigest.ComputeAsync(_source, ct);

        var answer = await sender.SendRoundAsync(TransferRound.FromDigest(1, true, _source, digest, null, () => new RoundEndMessage(FrozenMs: 250, RttMs: 2)), ct);

        Assert.Equal(FrameType.Restored, answer.Header.Type);
        var restored = JsonSerializer.Deserialize<RestoredMessage>(answer.Payload, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
        Assert.Equal(12.5, restored.RestoreMs);
        Assert.True(restored.DowntimeMs >= 251, $"downtime {restored.DowntimeMs} ms must include the 250 ms frozen before the end frame and half the RTT");
        Assert.Equal(session.ImagesDirectory, restoredFrom);
        AssertSameFiles(session.ImagesDirectory);
    }

    private void WriteImages(int seed, int pagesBytes)
    {
        var random = new Random(seed);
        var pages = new byte[pagesBytes];
        random.NextBytes(pages);
        File.WriteAllBytes(Path.Combine(_source, "pages-1.img"), pages);
        var small = new byte[1234];
        random.NextBytes(small);
        File.WriteAllBytes(Path.Combine(_source, "core-1.img"), small);
    }

    private void DirtyPages(int[] pageIndexes)
    {
        using var file = File.OpenHandle(Path.Combine(_source, "pages-1.img"), FileMode.Open, FileAccess.ReadWrite);
        foreach (var page in pageIndexes)
        {
            RandomAccess.Write(file, new byte[] { 0xAB, 0xCD, (byte)page }, (long)page * ImageDigest.BlockSize + 100);
        }
    }

    private void AssertSameFiles(string received)
    {
        var expected = Directory.GetFiles(_source).Select(Path.GetFileName).Order().ToArray();
        Assert.Equal(expected, Directory.GetFiles(received).Select(Path.GetFileName).Order().ToArray());
        foreach (var name in expected)
        {
            Assert.True(File.ReadAllBytes(Path.Combine(_source, name!)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(received, name!))), $"{name} differs");
        }
    }
}
