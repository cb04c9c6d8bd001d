namespace EdgeMigrate.EdgeAgent.Wasm.Tests;

/// <summary>
/// Heterogeneous restore: x86-64 (this process) → arm64 (the published tool under qemu) → x86-64, with the
/// answers at every step equal to an unmigrated reference run.
/// </summary>
[Collection(WasmArm64Collection.Name)]
[Trait("Category", TestCategories.Wasm)]
[Trait("Category", TestCategories.Arm64)]
public sealed class CrossIsaTests(SampleModulesFixture samples, Arm64ToolFixture arm64)
{
    private const int PerLeg = 15;

    [Fact]
    public async Task Fusion_service_moves_x64_to_arm64_and_back_without_changing_an_answer()
    {
        var ct = TestContext.Current.CancellationToken;
        using var dirs = new TemporaryDirectory();
        var image = samples.Load("fusion");
        var requestsFile = dirs.Sub("requests.txt");
        await File.WriteAllLinesAsync(requestsFile, Enumerable.Range(0, 3 * PerLeg).Select(Requests.Fusion), ct);

        List<string> reference;
        using (var unmigrated = await WasmWorkload.StartAsync(image, new WasmWorkloadOptions { DataDirectory = dirs.Sub("reference") }, ct))
        {
            reference = await Requests.SendAsync(unmigrated, Requests.Fusion, 0, 3 * PerLeg, ct);
        }

        // Leg 1: x86-64, in process; checkpoint to a file.
        Assert.Equal(System.Runtime.InteropServices.Architecture.X64, System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture);
        var snapshot1 = dirs.Sub("leg1.snap");
        using (var source = await WasmWorkload.StartAsync(image, new WasmWorkloadOptions { DataDirectory = dirs.Sub("x64-a") }, ct))
        {
            Assert.Equal(reference[..PerLeg], await Requests.SendAsync(source, Requests.Fusion, 0, PerLeg, ct));
            await using var file = File.Create(snapshot1);
            await source.CheckpointAsync(file, ct);
        }

        // Leg 2: arm64 under qemu: resume, answer the next requests, checkpoint again.
        var snapshot2 = dirs.Sub("leg2.snap");
        var run = await arm64.RunAsync(
            ["resume", samples.PathOf("fusion"), "--from", snapshot1, "--input", requestsFile, "--skip", $"{PerLeg}",
             "--requests", $"{PerLeg}", "--data", dirs.Sub("arm64"), "--checkpoint", snapshot2],
            ct);
        Assert.True(run.ExitCode == 0, run.Describe("edgemigrate-wasm (arm64, qemu)"));
        var lines = run.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("# arch=arm64 ", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l == "# restored from arch=x64");
        var armAnswers = lines.Where(l => !l.StartsWith("# ", StringComparison.Ordinal)).ToList();
        Assert.Equal(reference[PerLeg..(2 * PerLeg)], armAnswers);

        // Leg 3: back on x86-64, in process, from the arm64 snapshot.
        await using var input = File.OpenRead(snapshot2);
        using var target = WasmMigrationTarget.Create(image, new WasmWorkloadOptions { DataDirectory = dirs.Sub("x64-b") });
        await target.ApplyAllAsync(input, ct);
        Assert.Equal("arm64", target.SourceArchitecture);
        using var back = target.Activate();
        Assert.Equal(reference[(2 * PerLeg)..], await Requests.SendAsync(back, Requests.Fusion, 2 * PerLeg, PerLeg, ct));
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(dirs.Sub("reference"), "journal.log"), ct),
            await File.ReadAllTextAsync(Path.Combine(dirs.Sub("x64-b"), "journal.log"), ct));
    }
}
