namespace EdgeMigrate.Models.Grains;

/// <summary>The handover policy of one fleet, keyed by fleet id.</summary>
public interface IFleetPolicyGrain : IGrainWithStringKey
{
    /// <summary>The fleet's policy; defaults when none was set.</summary>
    [AlwaysInterleave]
    Task<FleetPolicySnapshot> GetAsync();

    Task<FleetPolicySnapshot> SetAsync(PolicySettings settings);
}
