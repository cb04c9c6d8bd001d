using EdgeMigrate.Decision.Policies;
using EdgeMigrate.Models.Grains;
using EdgeMigrate.Silo.Persistence;

namespace EdgeMigrate.Silo.Grains;

/// <summary>A fleet's handover policy; defaults until an operator sets one.</summary>
public sealed class FleetPolicyGrain(
    [PersistentState("policy", StorageNames.Default)] IPersistentState<FleetPolicyState> state,
    IGrainFactory grains,
    IGrainRuntime runtime) : Grain, IFleetPolicyGrain
{
    public Task<FleetPolicySnapshot> GetAsync() => Task.FromResult(Snapshot());

    public async Task<FleetPolicySnapshot> SetAsync(PolicySettings settings)
    {
        var problems = PolicyCatalog.Validate(settings, PolicyPlaces.Live);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems), nameof(settings));
        }

        state.State.Settings = settings;
        state.State.UpdatedAt = runtime.TimeProvider.GetUtcNow();
        state.State.Revision++;
        await state.WriteStateAsync();
        await grains.GetGrain<ICatalogGrain>(CatalogKind.Fleets).AddAsync(this.GetPrimaryKeyString());
        return Snapshot();
    }

    private FleetPolicySnapshot Snapshot() => new()
    {
        FleetId = this.GetPrimaryKeyString(),
        Settings = state.State.Settings ?? new PolicySettings(),
        UpdatedAt = state.State.UpdatedAt,
        Revision = state.State.Revision,
    };
}
