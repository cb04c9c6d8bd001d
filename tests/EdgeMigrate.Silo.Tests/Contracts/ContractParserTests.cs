using System.Text;
using EdgeMigrate.Models.Contracts;

namespace EdgeMigrate.Silo.Tests.Contracts;

[Trait("Category", TestCategories.Unit)]
public sealed class ContractParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 7, 31, 10, TimeSpan.Zero);
    private static readonly PayloadLimits Limits = new();

    [Fact]
    public void The_design_documents_example_telemetry_is_accepted()
    {
        const string json = """
            { "schemaVersion": 1, "deviceId": "bus-S40-0731", "timestamp": "2026-11-24T07:31:05Z",
              "lat": 40.6431, "lon": -74.0741, "speedMps": 8.4, "headingDeg": 271.0,
              "servingSiteId": "site-17", "rttMs": { "site-17": 11.8, "site-18": 19.2 } }
            """;

        var result = ContractParser.ParseTelemetry(Encoding.UTF8.GetBytes(json), "bus-S40-0731", Now, Limits);

        Assert.True(result.IsValid, result.Rejection?.ToString());
        Assert.Equal(40.6431, result.Value.Lat);
        Assert.Equal(19.2, result.Value.RttMs!["site-18"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 7, 31, 5, TimeSpan.Zero), result.Value.Timestamp);
    }

    [Fact]
    public void Unknown_optional_fields_are_allowed()
    {
        var json = """{"schemaVersion":1,"deviceId":"d1","timestamp":"2026-11-24T07:31:05Z","lat":1,"lon":2,"battery":0.5,"extra":{"a":[1,2]}}""";

        Assert.True(ContractParser.ParseTelemetry(Encoding.UTF8.GetBytes(json), "d1", Now, Limits).IsValid);
    }

    [Theory]
    [InlineData("{\"schemaVersion\":1,", RejectionReason.MalformedJson)]
    [InlineData("not json at all", RejectionReason.MalformedJson)]
    [InlineData("", RejectionReason.MalformedJson)]
    [InlineData("[1,2,3]", RejectionReason.NotAnObject)]
    [InlineData("42", RejectionReason.NotAnObject)]
    [InlineData("{\"deviceId\":\"d1\"}", RejectionReason.MissingSchemaVersion)]
    [InlineData("{\"schemaVersion\":\"1\",\"deviceId\":\"d1\"}", RejectionReason.WrongFieldType)]
    [InlineData("{\"schemaVersion\":2,\"deviceId\":\"d1\"}", RejectionReason.UnsupportedSchemaVersion)]
    [InlineData("{\"schemaVersion\":1,\"deviceId\":\"d1\",\"timestamp\":\"2026-11-24T07:31:05Z\",\"lat\":1}", RejectionReason.MissingField)]
    [InlineData("{\"schemaVersion\":1,\"deviceId\":\"d1\",\"timestamp\":\"2026-11-24T07:31:05Z\",\"lat\":\"north\",\"lon\":2}", RejectionReason.WrongFieldType)]
    [InlineData("{\"schemaVersion\":1,\"deviceId\":\"d1\",\"timestamp\":\"yesterday\",\"lat\":1,\"lon\":2}", RejectionReason.WrongFieldType)]
    [InlineData("{\"schemaVersion\":1,\"deviceId\":\"d1\",\"timestamp\":\"2026-11-24T07:31:05Z\",\"lat\":1,\"lon\":2,\"rttMs\":[1,2]}", RejectionReason.WrongFieldType)]
    [InlineData("{\"schemaVersion\":1,\"deviceId\":\"d1\",\"timestamp\":\"2026-11-24T07:31:05Z\",\"lat\":91,\"lon\":2}", RejectionReason.OutOfRange)]
    [InlineData("{\"schemaVersion\":1,\"deviceId\":\"d1\",\"timestamp\":\"2026-11-24T07:31:05Z\",\"lat\":1,\"lon\":-180.5}", RejectionReason.OutOfRange)]
    [InlineData("{\"schemaVersion\":1,\"deviceId\":\"d1\",\"timestamp\":\"2026-11-24T07:31:05Z\",\"lat\":1,\"lon\":2,\"speedMps\":-1}", RejectionReason.OutOfRange)]
    [InlineData("{\"schemaVersion\":1,\"deviceId\":\"d1\",\"timestamp\":\"2026-11-24T07:31:05Z\",\"lat\":1,\"lon\":2,\"headingDeg\":360}", RejectionReason.OutOfRange)]
    [InlineData("{\"schemaVersion\":1,\"deviceId\":\"d1\",\"timestamp\":\"2026-11-24T07:31:05Z\",\"lat\":1,\"lon\":2,\"rttMs\":{\"s1\":-3}}", RejectionReason.OutOfRange)]
    [InlineData("{\"schemaVersion\":1,\"deviceId\":\"d1\",\"timestamp\":\"2026-11-24T07:31:05Z\",\"lat\":1,\"lon\":2,\"rttMs\":{\"bad site\":3}}", RejectionReason.OutOfRange)]
    [InlineData("{\"schemaVersion\":1,\"deviceId\":\"d2\",\"timestamp\":\"2026-11-24T07:31:05Z\",\"lat\":1,\"lon\":2}", RejectionReason.IdMismatch)]
    [InlineData("{\"schemaVersion\":1,\"deviceId\":\"d/1\",\"timestamp\":\"2026-11-24T07:31:05Z\",\"lat\":1,\"lon\":2}", RejectionReason.InvalidId)]
    [InlineData("{\"schemaVersion\":1,\"deviceId\":\"d1\",\"timestamp\":\"2026-11-25T07:31:05Z\",\"lat\":1,\"lon\":2}", RejectionReason.ClockSkew)]
    public void Bad_telemetry_is_rejected_with_its_reason(string json, RejectionReason expected)
    {
        var result = ContractParser.ParseTelemetry(Encoding.UTF8.GetBytes(json), "d1", Now, Limits);

        Assert.False(result.IsValid);
        Assert.Equal(expected, result.Rejection.Reason);
        Assert.False(string.IsNullOrWhiteSpace(result.Rejection.Detail));
    }

    [Fact]
    public void An_oversized_payload_is_rejected_before_parsing()
    {
        var payload = Encoding.UTF8.GetBytes("{\"schemaVersion\":1,\"pad\":\"" + new string('x', Limits.MaxPayloadBytes) + "\"}");

        var result = ContractParser.ParseTelemetry(payload, "d1", Now, Limits);

        Assert.Equal(RejectionReason.Oversized, result.Rejection!.Reason);
        Assert.Contains(Limits.MaxPayloadBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Rejection.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Deeply_nested_json_is_rejected_as_malformed()
    {
        var json = "{\"schemaVersion\":1,\"x\":" + new string('[', 100) + new string(']', 100) + "}";

        Assert.Equal(RejectionReason.MalformedJson, ContractParser.ParseTelemetry(Encoding.UTF8.GetBytes(json), "d1", Now, Limits).Rejection!.Reason);
    }

    [Fact]
    public void Node_status_last_will_with_only_online_false_is_accepted()
    {
        var result = ContractParser.ParseNodeStatus("""{"schemaVersion":1,"nodeId":"edge-3","online":false}"""u8, "edge-3", Limits);

        Assert.True(result.IsValid, result.Rejection?.ToString());
        Assert.False(result.Value.Online);
    }

    [Theory]
    [InlineData("""{"schemaVersion":1,"nodeId":"edge-3","online":true,"arch":"sparc"}""", RejectionReason.WrongFieldType)]
    [InlineData("""{"schemaVersion":1,"nodeId":"edge-3","online":true,"cpuFree":1.5}""", RejectionReason.OutOfRange)]
    [InlineData("""{"schemaVersion":1,"nodeId":"edge-3","online":true,"transferEndpoint":"nowhere"}""", RejectionReason.OutOfRange)]
    [InlineData("""{"schemaVersion":1,"nodeId":"edge-3","online":true,"lat":40.1}""", RejectionReason.OutOfRange)]
    [InlineData("""{"schemaVersion":1,"nodeId":"edge-4","online":true}""", RejectionReason.IdMismatch)]
    [InlineData("""{"schemaVersion":1,"nodeId":"edge-3","online":"yes"}""", RejectionReason.WrongFieldType)]
    [InlineData("""{"schemaVersion":1,"nodeId":"edge-3"}""", RejectionReason.MissingField)]
    public void Bad_node_status_is_rejected_with_its_reason(string json, RejectionReason expected) =>
        Assert.Equal(expected, ContractParser.ParseNodeStatus(Encoding.UTF8.GetBytes(json), "edge-3", Limits).Rejection?.Reason);

    [Theory]
    [InlineData("""{"schemaVersion":1,"migrationId":"m1","nodeId":"edge-3","timestamp":"2026-11-24T07:31:05Z","phase":"teleported"}""", RejectionReason.WrongFieldType)]
    [InlineData("""{"schemaVersion":1,"migrationId":"m1","nodeId":"edge-3","timestamp":"2026-11-24T07:31:05Z","phase":"round","bytesSent":-5}""", RejectionReason.OutOfRange)]
    [InlineData("""{"schemaVersion":1,"migrationId":"m2","nodeId":"edge-3","timestamp":"2026-11-24T07:31:05Z","phase":"round"}""", RejectionReason.IdMismatch)]
    public void Bad_migration_events_are_rejected_with_their_reason(string json, RejectionReason expected) =>
        Assert.Equal(expected, ContractParser.ParseMigrationEvent(Encoding.UTF8.GetBytes(json), "m1", Limits).Rejection?.Reason);

    [Fact]
    public void A_valid_migration_event_round_trips()
    {
        var result = ContractParser.ParseMigrationEvent("""{"schemaVersion":1,"migrationId":"m1","nodeId":"edge-3","timestamp":"2026-11-24T07:31:05Z","phase":"rolled-back","error":"link cut"}"""u8, "m1", Limits);

        Assert.True(result.IsValid, result.Rejection?.ToString());
        Assert.Equal(MigrationEventPhase.RolledBack, result.Value.Phase);
        Assert.Equal("link cut", result.Value.Error);
    }
}
