using System.Formats.Tar;
using System.Text.Json;
using EdgeMigrate.EdgeAgent.Engines.Containerd;
using EdgeMigrate.EdgeAgent.Engines.Criu;
using Cri = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Cri;

namespace EdgeMigrate.EdgeAgent.Tests.Containerd;

/// <summary>The containerd engine's pure parts: CRIU's cause line, the checkpoint archive's shape, names.</summary>
[Trait("Category", TestCategories.Unit)]
public sealed class ContainerdPartsTests
{
    // Shape of a real dump.log (CRIU 4.2.1, runc 1.1.5, a redis with a connected client and no TCP option).
    private const string DumpLog = """
        (00.000210) Version: 4.2.1 (gitid 0)
        (00.000350) Error (criu/cr-service.c:1216): rlimit: Can't setup RLIMIT_NOFILE for self: Operation not permitted
        (00.021447) Dumping pid 31 with id 31
        (00.052310) Error (criu/sk-inet.c:200): inet: Connected TCP socket, consider using --tcp-established option.
        (00.052330) Error (criu/cr-dump.c:1707): Dump files (pid: 31) failed with -1
        (00.060100) Error (criu/cr-dump.c:2160): Dumping FAILED.
        """;

    [Fact]
    public void The_cause_line_skips_the_harmless_rlimit_error_and_the_wrappers()
    {
        Assert.Equal("Error (criu/sk-inet.c:200): inet: Connected TCP socket, consider using --tcp-established option.", CriuLog.CauseOf(DumpLog));
        Assert.Equal("Error (criu/cr-dump.c:2160): Dumping FAILED.", CriuLog.CauseOf("(1) Error (criu/cr-dump.c:2160): Dumping FAILED.\n"));
        Assert.Null(CriuLog.CauseOf("(00.1) Error (criu/cr-service.c:1216): rlimit: Can't setup RLIMIT_NOFILE for self\n(00.2) Dumping finished successfully\n"));
        Assert.Null(CriuLog.CauseIn("/nonexistent/restore.log"));
    }

    [Fact]
    public async Task The_archive_has_what_containerd_reads_with_status_dump_in_go_json()
    {
        using var dir = new TempTree();
        var images = Directory.CreateDirectory(Path.Combine(dir.Path, "images")).FullName;
        await File.WriteAllTextAsync(Path.Combine(images, "pages-1.img"), "pages", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(images, "inventory.img"), "inv", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(Path.Combine(images, RootfsDiff.FileName), "layer", TestContext.Current.CancellationToken);
        var status = new Cri.ContainerStatus
        {
            Id = "c1",
            Metadata = new Cri.ContainerMetadata { Name = "redis", Attempt = 2 },
            State = Cri.ContainerState.ContainerRunning,
            CreatedAt = 1_700_000_000_000_000_000,
            StartedAt = 1_700_000_001_000_000_000,
            Image = new Cri.ImageSpec { Image = "docker.io/edgemigrate/redis:test" },
            ImageRef = "sha256:30cb",
            LogPath = "/var/log/pods/x/redis.log",
            Labels = { ["io.kubernetes.container.name"] = "redis" },
            Annotations = { ["io.kubernetes.container.restartCount"] = "2" },
        };
        var archive = Path.Combine(dir.Path, "checkpoint.tar");
        var metadata = new CheckpointArchive.Metadata("c1", "docker.io/edgemigrate/redis:test", "localhost:5000/edgemigrate/redis@sha256:35e1", "{\"ociVersion\":\"1.2.0\"}", status, new DateTimeOffset(2026, 11, 24, 7, 30, 0, TimeSpan.Zero), "/run/criu.conf");

        await CheckpointArchive.WriteAsync(archive, images, metadata, TestContext.Current.CancellationToken);

        var entries = new Dictionary<string, (TarEntryType Type, string Content)>();
        await using (var reader = new TarReader(File.OpenRead(archive)))
        {
            while (await reader.GetNextEntryAsync(copyData: true, TestContext.Current.CancellationToken) is { } entry)
            {
                entries[entry.Name] = (entry.EntryType, entry.DataStream is null ? string.Empty : await new StreamReader(entry.DataStream).ReadToEndAsync(TestContext.Current.CancellationToken));
            }
        }

        Assert.Equal(["checkpoint/", "checkpoint/inventory.img", "checkpoint/pages-1.img", "config.dump", RootfsDiff.FileName, "spec.dump", "status.dump"], entries.Keys.Order(StringComparer.Ordinal));
        Assert.All(entries.Values, e => Assert.True(e.Type is TarEntryType.RegularFile or TarEntryType.Directory));
        Assert.Equal("{\"ociVersion\":\"1.2.0\"}", entries["spec.dump"].Content);
        using var config = JsonDocument.Parse(entries["config.dump"].Content);
        Assert.Equal("localhost:5000/edgemigrate/redis@sha256:35e1", config.RootElement.GetProperty("rootfsImageRef").GetString());
        Assert.Equal("docker.io/edgemigrate/redis:test", config.RootElement.GetProperty("rootfsImageName").GetString());
        Assert.Equal("io.containerd.runc.v2", config.RootElement.GetProperty("runtime").GetString());
        Assert.Equal("2023-11-14T22:13:20.0000000Z", config.RootElement.GetProperty("createdTime").GetString());
        Assert.False(config.RootElement.GetProperty("restored").GetBoolean());

        // Go's encoding/json: snake_case, enum and int64 as numbers, the CRIU config annotation added.
        using var dump = JsonDocument.Parse(entries["status.dump"].Content);
        var root = dump.RootElement;
        Assert.Equal(JsonValueKind.Number, root.GetProperty("state").ValueKind);
        Assert.Equal(1, root.GetProperty("state").GetInt32());
        Assert.Equal(1_700_000_000_000_000_000, root.GetProperty("created_at").GetInt64());
        Assert.Equal(2, root.GetProperty("metadata").GetProperty("attempt").GetInt32());
        Assert.Equal("sha256:30cb", root.GetProperty("image_ref").GetString());
        Assert.Equal("/run/criu.conf", root.GetProperty("annotations").GetProperty(CheckpointArchive.CriuConfigAnnotation).GetString());
        Assert.Equal("2", root.GetProperty("annotations").GetProperty("io.kubernetes.container.restartCount").GetString());
        Assert.Equal("redis", root.GetProperty("labels").GetProperty("io.kubernetes.container.name").GetString());
    }

    [Fact]
    public async Task An_archive_without_the_writable_layer_is_refused()
    {
        using var dir = new TempTree();
        var metadata = new CheckpointArchive.Metadata("c1", "img", "ref", "{}", new Cri.ContainerStatus(), DateTimeOffset.UnixEpoch, null);
        var ex = await Assert.ThrowsAsync<ContainerdException>(() => CheckpointArchive.WriteAsync(Path.Combine(dir.Path, "a.tar"), dir.Path, metadata, TestContext.Current.CancellationToken));
        Assert.Contains(RootfsDiff.FileName, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("docker.io/edgemigrate/redis:test", "edgemigrate/redis")]
    [InlineData("edgemigrate/redis", "edgemigrate/redis")]
    [InlineData("localhost:5000/team/app:v1", "team/app")]
    [InlineData("registry.example/app@sha256:35e1", "app")]
    [InlineData("redis", "redis")]
    public void The_registry_reference_names_the_repository_without_host_or_tag(string image, string repository) =>
        Assert.Equal(repository, ContentStoreRegistry.RepositoryOf(image));

    [Theory]
    [InlineData("svc-redis", "svc-redis")]
    [InlineData("Bus:S40_0731", "bus-s40-0731")]
    [InlineData("::", "service")]
    public void Pod_names_are_dns_labels(string serviceId, string pod) => Assert.Equal(pod, ContainerdEngine.PodNameOf(serviceId));

    private sealed class TempTree : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("em-cd-unit-").FullName;

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
