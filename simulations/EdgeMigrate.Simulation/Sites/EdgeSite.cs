using EdgeMigrate.Models;
using EdgeMigrate.Models.Geo;
using EdgeMigrate.Simulation.Geometry;

namespace EdgeMigrate.Simulation.Sites;

/// <summary>An edge site that can host services; <see cref="Capacity"/> counts services hosted at once.</summary>
public sealed record EdgeSite(string Id, GeoPoint Location, PlanarPoint Position, int Capacity, CpuArchitecture Architecture);
