using EdgeMigrate.Models;
using EdgeMigrate.Models.Contracts;
using EdgeMigrate.Models.Grains;

namespace EdgeMigrate.Silo.Api;

/// <summary>Body of <c>POST /api/services/{id}/migrate</c>; it checks itself and becomes the grain's <see cref="MigrationRequest"/>.</summary>
public sealed record MigrateServiceRequest
{
    public const string TargetRequired = "required: the node to move the service to";

    public string? TargetNodeId { get; init; }
    public MigrationMode? Mode { get; init; }
    public string? Reason { get; init; }

    /// <summary>Optional pre-copy bounds (round cap, stop threshold, rate cap); defaults when absent.</summary>
    public MigrationLimits? Limits { get; init; }

    /// <summary>Problems by field (camelCase, as in the body); empty when the request is valid.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (!EntityId.IsValid(TargetNodeId)) { errors["targetNodeId"] = [TargetRequired]; }
        if (Limits is { } limits && !(limits.MaxRounds is >= 1 and <= 64 && limits.StopThresholdBytes >= 0 && limits.MaxMbps >= 0 && double.IsFinite(limits.MaxMbps)))
        {
            errors["limits"] = ["maxRounds must be within [1, 64]; stopThresholdBytes and maxMbps must not be negative"];
        }

        return errors;
    }

    /// <summary>The request of a valid body (call <see cref="Validate"/> first); an operator's reason unless it gives one.</summary>
    public MigrationRequest ToMigrationRequest() => new()
    {
        TargetNodeId = TargetNodeId!,
        Mode = Mode ?? MigrationMode.PreCopy,
        Reason = string.IsNullOrWhiteSpace(Reason) ? "operator" : Reason,
        Limits = Limits,
    };
}
