namespace EdgeMigrate.EdgeAgent.Wasm.Tests;

[Collection(WasmCollection.Name)]
[Trait("Category", TestCategories.Wasm)]
public sealed class CheckpointRestoreTests(SampleModulesFixture samples)
{
    private const int Total = 60;
    private const int Split = 25;

    [Fact]
    public async Task Restored_fusion_service_answers_exactly_like_an_unmigrated_run()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dirs = new TemporaryDirectory();
        var image = samples.Load("fusion");
        Assert.True(image.Analysis.IsMigratable, image.Analysis.Summary);

        List<string> reference;
        using (var unmigrated = await WasmWorkload.StartAsync(image, new WasmWorkloadOptions { DataDirectory = dirs.Sub("reference") }, ct))
        {
            reference = await Requests.SendAsync(unmigrated, Requests.Fusion, 0, Total, ct);
        }

        using var source = await WasmWorkload.StartAsync(image, new WasmWorkloadOptions { DataDirectory = dirs.Sub("source") }, ct);
        var answers = await Requests.SendAsync(source, Requests.Fusion, 0, Split, ct);
        using var snapshot = new MemoryStream();
        var final = await source.CheckpointAsync(snapshot, ct);
        Assert.Equal(WasmChunkKind.Final, final.Kind);
        Assert.Contains(final.Globals, g => g.Name == "__stack_pointer");
        Assert.Contains(final.Files, f => f.Path == "journal.log");

        snapshot.Position = 0;
        using var restored = await WasmMigrationTarget.RestoreAsync(image, new WasmWorkloadOptions { DataDirectory = dirs.Sub("target") }, snapshot, ct);
        answers.AddRange(await Requests.SendAsync(restored, Requests.Fusion, Split, Total - Split, ct));

        Assert.Equal(reference, answers);
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(dirs.Sub("reference"), "journal.log"), ct),
            await File.ReadAllTextAsync(Path.Combine(dirs.Sub("target"), "journal.log"), ct));
        Assert.Contains(reference, a => a.StartsWith("vehicles=4 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Source_keeps_serving_after_a_checkpoint_and_both_copies_agree()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dirs = new TemporaryDirectory();
        var image = samples.Load("fusion");
        using var source = await WasmWorkload.StartAsync(image, new WasmWorkloadOptions { DataDirectory = dirs.Sub("a") }, ct);
        await Requests.SendAsync(source, Requests.Fusion, 0, 10, ct);
        using var snapshot = new MemoryStream();
        await source.CheckpointAsync(snapshot, ct);
        snapshot.Position = 0;
        using var copy = await WasmMigrationTarget.RestoreAsync(image, new WasmWorkloadOptions { DataDirectory = dirs.Sub("b") }, snapshot, ct);

        Assert.Equal(
            await Requests.SendAsync(source, Requests.Fusion, 10, 15, ct),
            await Requests.SendAsync(copy, Requests.Fusion, 10, 15, ct));
    }

    [Fact]
    public async Task Snapshot_of_another_module_is_refused_with_both_hashes()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dirs = new TemporaryDirectory();
        var fusion = samples.Load("fusion");
        var memhog = samples.Load("memhog");
        using var source = await WasmWorkload.StartAsync(fusion, new WasmWorkloadOptions { DataDirectory = dirs.Sub("a") }, ct);
        await Requests.SendAsync(source, Requests.Fusion, 0, 5, ct);
        using var snapshot = new MemoryStream();
        await source.CheckpointAsync(snapshot, ct);
        snapshot.Position = 0;
        var targetDir = dirs.Sub("b");
        Directory.CreateDirectory(targetDir);
        await File.WriteAllTextAsync(Path.Combine(targetDir, "keep.txt"), "untouched", ct);

        var refused = await Assert.ThrowsAsync<WasmMigrationRefusedException>(() =>
            WasmMigrationTarget.RestoreAsync(memhog, new WasmWorkloadOptions { DataDirectory = targetDir }, snapshot, ct));

        Assert.Contains(fusion.HashHex, refused.Message, StringComparison.Ordinal);
        Assert.Contains(memhog.HashHex, refused.Message, StringComparison.Ordinal);
        Assert.Contains("restores only into the module it was taken from", refused.Message, StringComparison.Ordinal);
        Assert.Equal("untouched", await File.ReadAllTextAsync(Path.Combine(targetDir, "keep.txt"), ct));
    }

    [Fact]
    public async Task Damaged_snapshot_is_rejected_by_its_checksum()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dirs = new TemporaryDirectory();
        var image = samples.Load("fusion");
        using var source = await WasmWorkload.StartAsync(image, new WasmWorkloadOptions { DataDirectory = dirs.Sub("a") }, ct);
        await Requests.SendAsync(source, Requests.Fusion, 0, 5, ct);
        using var snapshot = new MemoryStream();
        await source.CheckpointAsync(snapshot, ct);
        var bytes = snapshot.ToArray();
        bytes[bytes.Length / 2] ^= 0x40;

        var error = Assert.Throws<InvalidDataException>(() => WasmStateChunk.Parse(bytes));
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Chunk_encoding_is_little_endian_and_round_trips()
    {
        var page = new byte[WasmStateChunk.PageSize];
        page[0] = 0xAB;
        page[^1] = 0xCD;
        var chunk = new WasmStateChunk
        {
            Kind = WasmChunkKind.Final,
            ModuleSha256 = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(),
            Round = 3,
            MemoryPages = 0x0102,
            Pages = [new WasmPage(7, page), new WasmPage(9, ReadOnlyMemory<byte>.Empty)],
            Globals = [new WasmGlobalValue("__stack_pointer", WasmValueType.I32, 0x11223344), new WasmGlobalValue("g", WasmValueType.F64, BitConverter.DoubleToUInt64Bits(-1.5))],
            Tables = [new WasmTableState("__indirect_function_table", 7, 42)],
            Files = [new WasmFileEntry("sub", true, ReadOnlyMemory<byte>.Empty), new WasmFileEntry("sub/a.txt", false, "hi"u8.ToArray())],
            SourceArchitecture = "arm64",
        };

        var bytes = chunk.ToArray();
        Assert.Equal("EMWS"u8.ToArray(), bytes[..4]);
        Assert.Equal([1, 0], bytes[4..6]); // format version 1, little-endian
        Assert.Equal([3, 0, 0, 0], bytes[48..52]); // round, after the 16-byte header and the 32-byte hash
        Assert.Equal([2, 1, 0, 0], bytes[52..56]); // memory pages 0x0102

        var back = WasmStateChunk.Parse(bytes);
        Assert.Equal(chunk.Round, back.Round);
        Assert.Equal(chunk.MemoryPages, back.MemoryPages);
        Assert.Equal(page, back.Pages[0].Data.ToArray());
        Assert.True(back.Pages[1].IsZero);
        Assert.Equal(chunk.Globals, back.Globals);
        Assert.Equal(chunk.Tables, back.Tables);
        Assert.Equal("hi", System.Text.Encoding.UTF8.GetString(back.Files[1].Content.Span));
        Assert.Equal("arm64", back.SourceArchitecture);
    }

    [Fact]
    public void Module_hash_is_sha256()
    {
        var bytes = File.ReadAllBytes(samples.PathOf("fusion"));
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), samples.Load("fusion").HashHex);
        foreach (var length in new[] { 0, 1, 55, 56, 63, 64, 65, 119, 120, 128, 1000 })
        {
            var data = Enumerable.Range(0, length).Select(i => (byte)(i * 7)).ToArray();
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(data), Sha256.Hash(data));
        }
    }
}
