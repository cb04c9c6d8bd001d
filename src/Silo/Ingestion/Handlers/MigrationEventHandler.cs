using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Ingestion.Handlers;

/// <summary>
/// <c>em/v1/migrations/{id}/events</c> → the migration saga. An event for a migration that was never started, or one
/// that does not fit the saga's state, is refused (the saga counts the latter in its own snapshot too).
/// </summary>
public sealed class MigrationEventHandler(IGrainFactory grains, GrainCallRetries calls, PayloadLimits limits) : IInboundHandler
{
    public MqttTopicKind Topic => MqttTopicKind.MigrationEvents;

    public string Name => "migration-event";

    public async Task<Rejection?> HandleAsync(InboundMessage message)
    {
        var id = message.Route.Id;
        var parsed = ContractParser.ParseMigrationEvent(message.Payload.Span, id, limits);
        if (!parsed.IsValid)
        {
            return parsed.Rejection;
        }

        var migration = grains.GetGrain<IMigrationGrain>(id);
        if (await migration.GetAsync() is null)
        {
            return new Rejection(RejectionReason.UnknownMigration, $"no migration '{id}' was started");
        }

        var applied = await calls.RunAsync(static s => s.Grain.ApplyEventAsync(s.Event), (Grain: migration, Event: parsed.Value));
        return applied ? null : new Rejection(RejectionReason.OutOfSequence, $"{parsed.Value.Phase} from node '{parsed.Value.NodeId}' does not fit the saga's state");
    }
}
