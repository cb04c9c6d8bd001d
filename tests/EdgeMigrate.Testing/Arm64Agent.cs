using System.Diagnostics;
using System.IO.Hashing;
using System.Text;

namespace EdgeMigrate.Testing;

/// <summary>
/// The agent published self-contained for linux-arm64 and run under qemu-aarch64-static on this x86-64 host. The
/// publish is cached under the temp directory by a hash of its inputs (only the newest is kept) and uses its own
/// --artifacts-path, so it never shares obj/ with a build that is running at the same time. Missing tools throw
/// with the install command.
/// </summary>
public static class Arm64Agent
{
    public const string Qemu = "qemu-aarch64-static";
    public const string Sysroot = "/opt/edgemigrate/arm64-sysroot";

    private static readonly string[] InputRoots = ["src/EdgeAgent", "src/EdgeAgent.Wasm", "src/Models"];
    private static readonly string[] InputFiles = ["Directory.Build.props", "Directory.Packages.props", "global.json", ".editorconfig", "eng/BannedSymbols.txt"];

    /// <summary>qemu and the arm64 sysroot are installed, or an exception says how to install them.</summary>
    public static string RequireQemu()
    {
        var qemu = HostCommand.Which(Qemu)
            ?? throw new InvalidOperationException($"'{Qemu}' is not installed: the arm64 agent runs under qemu. Run scripts/install-test-deps.sh (qemu-user-static).");
        return File.Exists(Path.Combine(Sysroot, "lib", "ld-linux-aarch64.so.1"))
            ? qemu
            : throw new InvalidOperationException($"the arm64 sysroot is missing ({Sysroot}/lib/ld-linux-aarch64.so.1). Run scripts/install-test-deps.sh.");
    }

    /// <summary>The published agent under qemu: the dynamic loader and libraries come from the sysroot.</summary>
    public static AgentCommand Command(string binary) => new(
        RequireQemu(),
        [binary],
        new Dictionary<string, string>
        {
            ["QEMU_LD_PREFIX"] = Sysroot,
            ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        });

    /// <summary>dotnet publish of src/EdgeAgent for linux-arm64, once per input hash; concurrent callers wait on a lock file.</summary>
    public static async Task<Arm64AgentPublish> PublishAsync(CancellationToken ct)
    {
        var cache = Path.Combine(Path.GetTempPath(), "edgemigrate-agent-arm64", InputHash());
        var publish = Path.Combine(cache, "publish");
        var binary = Path.Combine(publish, "edgemigrate-agent");
        var marker = Path.Combine(cache, "published.ok");
        var took = TimeSpan.Zero;
        Directory.CreateDirectory(cache);
        if (!File.Exists(marker))
        {
            await using var lockFile = await AcquireLockAsync(Path.Combine(cache, ".lock"), ct);
            if (!File.Exists(marker))
            {
                var started = Stopwatch.GetTimestamp();
                var dotnet = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
                var result = await HostCommand.RunAsync(
                    dotnet,
                    ["publish", Path.Combine(RepositoryLayout.Root, "src", "EdgeAgent", "EdgeMigrate.EdgeAgent.csproj"), "-r", "linux-arm64", "--self-contained",
                     "-c", "Release", "-nologo", "--artifacts-path", Path.Combine(cache, "artifacts"), "-o", publish],
                    ct,
                    new Dictionary<string, string> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["MSBUILDNODECOUNT"] = "1" });
                if (!result.Succeeded || !File.Exists(binary))
                {
                    throw new InvalidOperationException($"dotnet publish -r linux-arm64 of the agent failed ({result.ExitCode}):\n{result.Output}");
                }

                took = Stopwatch.GetElapsedTime(started);
                await File.WriteAllTextAsync(marker, took.ToString(), ct);
                RemoveOlderPublishes(cache);
            }
        }

        return File.Exists(Path.Combine(publish, "libwasmtime.so"))
            ? new Arm64AgentPublish(binary, took)
            : throw new InvalidOperationException($"{publish} has no libwasmtime.so next to the agent: the arm64 agent could not load Wasmtime");
    }

    private static void RemoveOlderPublishes(string keep)
    {
        foreach (var old in Directory.EnumerateDirectories(Path.GetDirectoryName(keep)!).Where(d => d != keep))
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

    private static string InputHash()
    {
        var root = RepositoryLayout.Root;
        var hash = new XxHash128();
        var sep = Path.DirectorySeparatorChar;
        var files = InputRoots.Select(r => Path.Combine(root, r))
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{sep}bin{sep}", StringComparison.Ordinal) && !f.Contains($"{sep}obj{sep}", StringComparison.Ordinal))
            .Concat(InputFiles.Select(f => Path.Combine(root, f)))
            .Where(File.Exists)
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            hash.Append(Encoding.UTF8.GetBytes(Path.GetRelativePath(root, file)));
            hash.Append(File.ReadAllBytes(file));
        }

        return Convert.ToHexStringLower(hash.GetCurrentHash());
    }

    private static async Task<FileStream> AcquireLockAsync(string path, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (attempt < 900)
            {
                // Another run publishes the same inputs (up to 15 min): wait for it rather than publish twice.
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }
}
