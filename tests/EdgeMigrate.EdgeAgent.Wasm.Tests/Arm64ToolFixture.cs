using System.IO.Hashing;
using System.Text;

namespace EdgeMigrate.EdgeAgent.Wasm.Tests;

/// <summary>
/// The edgemigrate-wasm tool published self-contained for linux-arm64 (once per input hash, cached in the
/// temp directory: publishing takes most of a minute) and run under qemu-aarch64-static with the arm64
/// sysroot. Missing qemu or sysroot fail the tests with the install command.
/// </summary>
public sealed class Arm64ToolFixture : IAsyncLifetime
{
    public const string Qemu = "qemu-aarch64-static";
    public const string Sysroot = "/opt/edgemigrate/arm64-sysroot";

    public string ToolPath { get; private set; } = "";

    public string QemuPath { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        QemuPath = HostCommand.Which(Qemu)
            ?? throw new InvalidOperationException($"'{Qemu}' is not installed: the cross-ISA test runs the arm64 tool under qemu. Run scripts/install-test-deps.sh (qemu-user-static).");
        if (!File.Exists(Path.Combine(Sysroot, "lib", "ld-linux-aarch64.so.1")))
        {
            throw new InvalidOperationException($"the arm64 sysroot is missing ({Sysroot}/lib/ld-linux-aarch64.so.1). Run scripts/install-test-deps.sh.");
        }

        var cache = Path.Combine(Path.GetTempPath(), "edgemigrate-wasm-tool", InputHash());
        var publish = Path.Combine(cache, "publish");
        ToolPath = Path.Combine(publish, "edgemigrate-wasm");
        var marker = Path.Combine(cache, "published.ok");
        if (File.Exists(marker))
        {
            return;
        }

        Directory.CreateDirectory(cache);
        await using var lockFile = await AcquireLockAsync(Path.Combine(cache, ".lock"));
        if (File.Exists(marker))
        {
            return;
        }

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath && File.Exists(hostPath)
            ? hostPath
            : "dotnet";
        var project = Path.Combine(RepositoryLayout.Root, "src", "EdgeAgent.Wasm.Tool", "EdgeMigrate.EdgeAgent.Wasm.Tool.csproj");
        // Own artifacts path: no shared obj/ with the build that is running these tests.
        var result = await HostCommand.RunAsync(
            dotnet,
            ["publish", project, "-r", "linux-arm64", "--self-contained", "-c", "Release", "-nologo",
             "--artifacts-path", Path.Combine(cache, "artifacts"), "-o", publish],
            TestContext.Current.CancellationToken,
            new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["MSBUILDNODECOUNT"] = "1" });
        if (result.ExitCode != 0 || !File.Exists(ToolPath))
        {
            throw new InvalidOperationException(result.Describe("dotnet publish -r linux-arm64"));
        }

        await File.WriteAllTextAsync(marker, result.Elapsed.ToString(), TestContext.Current.CancellationToken);

        // Older publishes (other source versions) are ~100 MB each: keep only this one.
        foreach (var old in Directory.EnumerateDirectories(Path.GetDirectoryName(cache)!).Where(d => d != cache))
        {
            try
            {
                Directory.Delete(old, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // In use by a concurrent run; the next run cleans it.
            }
        }
    }

    /// <summary>Runs the arm64 tool under qemu.</summary>
    public Task<HostCommandResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken) =>
        HostCommand.RunAsync(
            QemuPath,
            [ToolPath, .. arguments],
            cancellationToken,
            new Dictionary<string, string>
            {
                ["QEMU_LD_PREFIX"] = Sysroot,
                ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            });

    private static string InputHash()
    {
        var hash = new XxHash128();
        var roots = new[] { Path.Combine(RepositoryLayout.Root, "src", "EdgeAgent.Wasm"), Path.Combine(RepositoryLayout.Root, "src", "EdgeAgent.Wasm.Tool") };
        var files = roots
            .SelectMany(root => Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat(new[] { "Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig", "eng/BannedSymbols.txt" }
                .Select(f => Path.Combine(RepositoryLayout.Root, f)))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            hash.Append(Encoding.UTF8.GetBytes(Path.GetRelativePath(RepositoryLayout.Root, file)));
            hash.Append(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static async Task<FileStream> AcquireLockAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 600)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken);
            }
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
