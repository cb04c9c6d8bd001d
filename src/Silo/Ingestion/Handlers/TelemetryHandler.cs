using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Ingestion.Handlers;

/// <summary><c>em/v1/devices/{id}/telemetry</c> → the device's grain (which persists it and runs the live decision).</summary>
public sealed class TelemetryHandler(IGrainFactory grains, GrainCallRetries calls, PayloadLimits limits, TimeProvider time) : IInboundHandler
{
    public MqttTopicKind Topic => MqttTopicKind.Telemetry;

    public string Name => "telemetry";

    public async Task<Rejection?> HandleAsync(InboundMessage message)
    {
        var parsed = ContractParser.ParseTelemetry(message.Payload.Span, message.Route.Id, time.GetUtcNow(), limits);
        if (!parsed.IsValid)
        {
            return parsed.Rejection;
        }

        await calls.RunAsync(static s => s.Grain.RecordTelemetryAsync(s.Report), (Grain: grains.GetGrain<IDeviceGrain>(message.Route.Id), Report: parsed.Value));
        return null;
    }
}
