namespace EdgeMigrate.Silo.Decisions;

/// <summary>What <c>GET /api/model</c> returns.</summary>
public sealed record HandoverModelInfo(string Version, string Source, DateTimeOffset LoadedAt)
{
    public static HandoverModelInfo Of(LoadedHandoverModel model) => new(model.Model.Version, model.Source, model.LoadedAt);
}
