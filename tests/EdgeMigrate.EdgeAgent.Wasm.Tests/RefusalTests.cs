namespace EdgeMigrate.EdgeAgent.Wasm.Tests;

[Collection(WasmCollection.Name)]
[Trait("Category", TestCategories.Wasm)]
public sealed class RefusalTests(SampleModulesFixture samples)
{
    [Theory]
    [InlineData("refused-shared-memory", "shared memory")]
    [InlineData("refused-hidden-global", "mutable global 0 (i32) is not exported")]
    [InlineData("refused-fusion-stack-pointer-hidden", "is not exported, so its value cannot be saved")]
    [InlineData("refused-unknown-import", "imports function env.gpu_submit, which is outside the allowed WASI set")]
    [InlineData("refused-table-mutation", "writes a table at run time (table.set)")]
    [InlineData("refused-no-contract", "does not export the contract function em_handle")]
    public void Inspector_names_the_reason(string module, string reason)
    {
        var analysis = samples.Load(module).Analysis;
        Assert.False(analysis.IsMigratable);
        Assert.Contains(analysis.Problems, p => p.Contains(reason, StringComparison.Ordinal));
    }

    // Shared memory is not here: Wasmtime does not even instantiate it without threads enabled.
    [Theory]
    [InlineData("refused-hidden-global", "is not exported")]
    [InlineData("refused-fusion-stack-pointer-hidden", "is not exported")]
    [InlineData("refused-table-mutation", "table.set")]
    public async Task Running_but_non_migratable_workload_is_refused_before_anything_moves(string module, string reason)
    {
        var ct = TestContext.Current.CancellationToken;
        using var dirs = new TemporaryDirectory();
        var image = samples.Load(module);
        using var workload = await WasmWorkload.StartAsync(image, new WasmWorkloadOptions { DataDirectory = dirs.Sub("data") }, ct);
        await workload.HandleAsync("obs a 1 2 3"u8.ToArray(), ct);

        var refused = Assert.Throws<WasmMigrationRefusedException>(() => workload.BeginMigration());
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Contains(module, refused.Message, StringComparison.Ordinal);

        // Nothing moved: no snapshot is written either, and the workload still serves.
        using var snapshot = new MemoryStream();
        await Assert.ThrowsAsync<WasmMigrationRefusedException>(() => workload.CheckpointAsync(snapshot, ct));
        Assert.Equal(0, snapshot.Length);
        Assert.Equal(WasmWorkloadStatus.Running, workload.Status);
        await workload.HandleAsync("obs a 2 3 4"u8.ToArray(), ct);
    }

    [Theory]
    [InlineData("refused-unknown-import")]
    [InlineData("refused-no-contract")]
    [InlineData("refused-shared-memory")]
    public void Target_refuses_a_non_migratable_module(string module)
    {
        var refused = Assert.Throws<WasmMigrationRefusedException>(() => WasmMigrationTarget.Create(samples.Load(module), new WasmWorkloadOptions()));
        Assert.Contains("is not migratable", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_workloads_follow_the_contract()
    {
        foreach (var module in new[] { "fusion", "memhog" })
        {
            var analysis = samples.Load(module).Analysis;
            Assert.True(analysis.IsMigratable, $"{module}: {analysis.Summary}");
            Assert.Contains(analysis.MutableGlobals, g => g.ExportName == "__stack_pointer" && g.Type == WasmValueType.I32);
            Assert.Contains(analysis.Tables, t => t.ExportName == "__indirect_function_table");
            Assert.All(analysis.Imports, i => Assert.StartsWith("wasi_snapshot_preview1.", i, StringComparison.Ordinal));
            Assert.True(analysis.HasReactorInitialize);
        }
    }

    [Fact]
    public void Garbage_is_reported_not_thrown()
    {
        var analysis = WasmModuleInspector.Inspect("not wasm at all"u8);
        Assert.False(analysis.IsMigratable);
        Assert.Contains(analysis.Problems, p => p.Contains("not a valid WebAssembly module", StringComparison.Ordinal));
    }
}
