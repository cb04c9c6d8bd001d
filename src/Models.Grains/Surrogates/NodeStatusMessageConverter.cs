using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Models.Grains.Surrogates;

[RegisterConverter]
public sealed class NodeStatusMessageConverter : IConverter<NodeStatusMessage, NodeStatusMessageSurrogate>
{
    public NodeStatusMessage ConvertFromSurrogate(in NodeStatusMessageSurrogate surrogate) => new()
    {
        SchemaVersion = surrogate.SchemaVersion,
        NodeId = surrogate.NodeId,
        Timestamp = surrogate.Timestamp,
        Online = surrogate.Online,
        Arch = surrogate.Arch,
        Engines = surrogate.Engines,
        CpuFree = surrogate.CpuFree,
        MemFreeMiB = surrogate.MemFreeMiB,
        TransferEndpoint = surrogate.TransferEndpoint,
        Links = surrogate.Links,
        Services = surrogate.Services,
        Lat = surrogate.Lat,
        Lon = surrogate.Lon,
        SiteId = surrogate.SiteId,
    };

    public NodeStatusMessageSurrogate ConvertToSurrogate(in NodeStatusMessage value) => new()
    {
        SchemaVersion = value.SchemaVersion,
        NodeId = value.NodeId,
        Timestamp = value.Timestamp,
        Online = value.Online,
        Arch = value.Arch,
        Engines = value.Engines,
        CpuFree = value.CpuFree,
        MemFreeMiB = value.MemFreeMiB,
        TransferEndpoint = value.TransferEndpoint,
        Links = value.Links,
        Services = value.Services,
        Lat = value.Lat,
        Lon = value.Lon,
        SiteId = value.SiteId,
    };
}
