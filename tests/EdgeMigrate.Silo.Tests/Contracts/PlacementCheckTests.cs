using EdgeMigrate.Decision.Placement;
using EdgeMigrate.Models;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Tests.Contracts;

[Trait("Category", TestCategories.Unit)]
public sealed class PlacementCheckTests
{
    private static EdgeNodeSnapshot Node(string id, CpuArchitecture? arch, bool online = true, params WorkloadEngine[] engines) => new()
    {
        NodeId = id,
        SiteId = id,
        Online = online,
        LastStatusAt = DateTimeOffset.UnixEpoch,
        Arch = arch,
        Engines = engines.Length == 0 ? [WorkloadEngine.Container, WorkloadEngine.Wasm] : engines,
        TransferEndpoint = "127.0.0.1:7701",
    };

    [Fact]
    public void A_container_moves_between_nodes_of_the_same_architecture() =>
        Assert.Null(PlacementCheck.WhyNot(WorkloadEngine.Container, MigrationMode.PreCopy, Node("a", CpuArchitecture.X64), Node("b", CpuArchitecture.X64)));

    [Fact]
    public void A_container_does_not_cross_architectures_and_the_reason_says_so()
    {
        var why = PlacementCheck.WhyNot(WorkloadEngine.Container, MigrationMode.PreCopy, Node("a", CpuArchitecture.X64), Node("b", CpuArchitecture.Arm64));

        Assert.Equal("a container checkpoint from x64 cannot restore on arm64 (b); package the service as WebAssembly to cross architectures", why);
    }

    [Fact]
    public void A_wasm_workload_crosses_architectures() =>
        Assert.Null(PlacementCheck.WhyNot(WorkloadEngine.Wasm, MigrationMode.PreCopy, Node("a", CpuArchitecture.X64), Node("b", CpuArchitecture.Arm64)));

    [Fact]
    public void An_offline_target_is_refused() =>
        Assert.Equal("target node b is offline", PlacementCheck.WhyNot(WorkloadEngine.Wasm, MigrationMode.PreCopy, Node("a", CpuArchitecture.X64), Node("b", CpuArchitecture.X64, online: false)));

    [Fact]
    public void A_target_without_the_engine_is_refused() =>
        Assert.Equal("target node b has no wasm engine (it has: container)", PlacementCheck.WhyNot(WorkloadEngine.Wasm, MigrationMode.PreCopy, Node("a", CpuArchitecture.X64), Node("b", CpuArchitecture.X64, true, WorkloadEngine.Container)));

    [Fact]
    public void Post_copy_is_refused_for_wasm() =>
        Assert.NotNull(PlacementCheck.WhyNot(WorkloadEngine.Wasm, MigrationMode.PostCopy, Node("a", CpuArchitecture.X64), Node("b", CpuArchitecture.X64)));
}
