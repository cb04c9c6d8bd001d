namespace EdgeMigrate.EdgeAgent.Wasm.Tests;

/// <summary>
/// Builds samples/wasm (C → wasm32-wasi with clang-14, WAT → wasm with wat2wasm) once per test run, and
/// shares one <see cref="WasmHost"/>. Missing tools fail the tests with the install command, never skip.
/// </summary>
public sealed class SampleModulesFixture : IAsyncLifetime
{
    private readonly Dictionary<string, WasmModuleImage> _images = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public string OutputDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "wasm-samples");

    public WasmHost Host { get; } = new();

    public async ValueTask InitializeAsync()
    {
        foreach (var tool in new[] { "clang-14", "wasm-ld-14", "wat2wasm" })
        {
            if (HostCommand.Which(tool) is null)
            {
                throw new InvalidOperationException(
                    $"'{tool}' is not installed: the WebAssembly tests build their sample workloads from source. Run scripts/install-test-deps.sh (clang-14, lld-14, wasi-libc, libclang-rt-14-dev-wasm32, wabt).");
            }
        }

        if (!File.Exists("/usr/lib/wasm32-wasi/libc.a") && !Directory.Exists("/usr/share/wasi-sysroot"))
        {
            throw new InvalidOperationException("wasi-libc is not installed. Run scripts/install-test-deps.sh (package wasi-libc).");
        }

        var result = await HostCommand.RunAsync(
            "bash", [Path.Combine(RepositoryLayout.Root, "samples", "wasm", "build.sh"), OutputDirectory], TestContext.Current.CancellationToken);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(result.Describe("samples/wasm/build.sh") + "\nIf a tool is missing, run scripts/install-test-deps.sh.");
        }
    }

    public string PathOf(string module) => Path.Combine(OutputDirectory, module + ".wasm");

    /// <summary>A loaded module, cached (compiling under a debugger or qemu is slow).</summary>
    public WasmModuleImage Load(string module)
    {
        lock (_lock)
        {
            if (!_images.TryGetValue(module, out var image))
            {
                image = Host.LoadModuleFile(PathOf(module));
                _images[module] = image;
            }

            return image;
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var image in _images.Values)
        {
            image.Dispose();
        }

        Host.Dispose();
        return ValueTask.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class WasmCollection : ICollectionFixture<SampleModulesFixture>
{
    public const string Name = "wasm";
}

/// <summary>The cross-ISA tests: their own collection, so the arm64 publish runs beside the in-process tests.</summary>
[CollectionDefinition(Name)]
public sealed class WasmArm64Collection : ICollectionFixture<SampleModulesFixture>, ICollectionFixture<Arm64ToolFixture>
{
    public const string Name = "wasm-arm64";
}
