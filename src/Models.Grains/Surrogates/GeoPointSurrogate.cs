using EdgeMigrate.Models.Geo;

namespace EdgeMigrate.Models.Grains.Surrogates;

/// <summary>How grains store and pass <see cref="GeoPoint"/> (the ids are those it was persisted with: never renumber).</summary>
[GenerateSerializer, Alias("EdgeMigrate.Surrogates.GeoPoint")]
public record struct GeoPointSurrogate
{
    [Id(0)] public double Lat;
    [Id(1)] public double Lon;
}
