namespace EdgeMigrate.Silo.Tests.Infrastructure;

/// <summary>Trait values: run one group with <c>dotnet test --filter Category=Mqtt</c>.</summary>
public static class TestCategories
{
    public const string Unit = "Unit";
    public const string Mqtt = "Mqtt";
    public const string Saga = "Saga";
    public const string Persistence = "Persistence";
    public const string Mosquitto = "Mosquitto";
    public const string Cluster = "Cluster";
}
