using System.Reflection;
using EdgeMigrate.EdgeAgent.Engines.Containerd;
using Google.Protobuf.Reflection;

namespace EdgeMigrate.EdgeAgent.Tests.Containerd;

/// <summary>
/// The agent talks to containerd through its own subset of containerd's and CRI's .proto files
/// (src/EdgeAgent/Engines/Containerd/Protos). These tests compile the upstream files that scripts/install-test-deps.sh
/// (component containerd) unpacks from Debian's containerd-api and cri-api packages with Grpc.Tools' protoc, and check
/// the subset that was compiled into the agent against them, field by field.
/// </summary>
[Trait("Category", TestCategories.Unit)]
public sealed class ProtoSubsetConformanceTests
{
    private const string UpstreamRoot = "/opt/edgemigrate/containerd-api";
    private const string ContainerdApi = "github.com/containerd/containerd/api";

    [Fact]
    public async Task The_agents_proto_subset_matches_upstream_containerd_and_cri()
    {
        var upstream = await UpstreamAsync(TestContext.Current.CancellationToken);
        var subset = SubsetFiles();
        Assert.True(subset.Count >= 12, $"expected the 12 subset files in the agent, found {subset.Count}");

        var (problems, fields) = ProtoSubsetConformance.Compare(subset, upstream);

        Assert.True(problems.Count == 0, $"the subset differs from upstream:\n{string.Join('\n', problems)}");
        Assert.True(fields > 200, $"only {fields} fields were compared");
        TestContext.Current.SendDiagnosticMessage($"proto subset: {subset.Count} files, {fields} fields checked against {UpstreamRoot}");
    }

    [Fact]
    public async Task A_renumbered_field_or_a_changed_type_is_caught()
    {
        var upstream = await UpstreamAsync(TestContext.Current.CancellationToken);
        var subset = SubsetFiles().Select(f => f.Clone()).ToList();
        var tasks = subset.Single(f => f.Package == "containerd.services.tasks.v1");
        tasks.MessageType.Single(m => m.Name == "PauseTaskRequest").Field[0].Number = 12;
        var exitStatus = tasks.MessageType.Single(m => m.Name == "WaitResponse").Field.Single(f => f.Name == "exit_status");
        exitStatus.Type = FieldDescriptorProto.Types.Type.Int32;

        var (problems, _) = ProtoSubsetConformance.Compare(subset, upstream);

        Assert.Contains(problems, p => p.Contains("PauseTaskRequest.container_id = 12", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("WaitResponse.exit_status = 1", StringComparison.Ordinal));
    }

    /// <summary>The FileDescriptorProtos compiled into the agent from the subset (the generated reflection classes carry them).</summary>
    private static List<FileDescriptorProto> SubsetFiles() =>
        [.. typeof(ContainerdConnection).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("EdgeMigrate.EdgeAgent.Engines.Containerd.Api", StringComparison.Ordinal) == true && t.Name.EndsWith("Reflection", StringComparison.Ordinal))
            .Select(t => (FileDescriptor)t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!)
            .Select(d => FileDescriptorProto.Parser.ParseFrom(d.SerializedData))];

    private static async Task<List<FileDescriptorProto>> UpstreamAsync(CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(UpstreamRoot, ".edgemigrate-packages")))
        {
            Assert.Fail($"the upstream containerd/CRI .proto files are not in {UpstreamRoot}: run scripts/install-test-deps.sh (component containerd) as root");
        }

        var tools = typeof(ProtoSubsetConformanceTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "GrpcToolsPath").Value!;
        var protoc = Path.Combine(tools, "tools", "linux_x64", "protoc");
        var output = Path.Combine(Path.GetTempPath(), $"em-upstream-{Environment.ProcessId}-{Guid.NewGuid():N}.pb");
        string[] files =
        [
            "k8s.io/cri-api/pkg/apis/runtime/v1/api.proto",
            $"{ContainerdApi}/types/runc/options/oci.proto",
            .. new[] { "version", "containers", "tasks", "content", "images", "snapshots", "diff", "leases" }
                .SelectMany(s => Directory.GetFiles(Path.Combine(UpstreamRoot, ContainerdApi, "services", s, "v1"), "*.proto"))
                .Select(p => Path.GetRelativePath(UpstreamRoot, p)),
        ];
        try
        {
            var result = await HostCommand.RunAsync(protoc, ["-I" + UpstreamRoot, "-I" + Path.Combine(tools, "build", "native", "include"), "--include_imports", "--descriptor_set_out=" + output, .. files], ct);
            Assert.True(result.Succeeded, $"protoc could not compile the upstream files: {result.Output}");
            return [.. FileDescriptorSet.Parser.ParseFrom(await File.ReadAllBytesAsync(output, ct)).File];
        }
        finally
        {
            File.Delete(output);
        }
    }
}
