using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Ingestion.Handlers;

/// <summary><c>em/v1/nodes/{id}/status</c> (an agent's status, or its last-will "offline") → the node's grain.</summary>
public sealed class NodeStatusHandler(IGrainFactory grains, GrainCallRetries calls, PayloadLimits limits) : IInboundHandler
{
    public MqttTopicKind Topic => MqttTopicKind.NodeStatus;

    public string Name => "node-status";

    public async Task<Rejection?> HandleAsync(InboundMessage message)
    {
        var parsed = ContractParser.ParseNodeStatus(message.Payload.Span, message.Route.Id, limits);
        if (!parsed.IsValid)
        {
            return parsed.Rejection;
        }

        await calls.RunAsync(static s => s.Grain.UpdateStatusAsync(s.Status), (Grain: grains.GetGrain<IEdgeNodeGrain>(message.Route.Id), Status: parsed.Value));
        return null;
    }
}
