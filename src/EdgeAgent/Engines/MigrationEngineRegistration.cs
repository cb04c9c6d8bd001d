using Microsoft.Extensions.DependencyInjection;

namespace EdgeMigrate.EdgeAgent.Engines;

public static class MigrationEngineRegistration
{
    /// <summary>Registers an engine once: as itself (for engine-specific parts) and as one of the agent's <see cref="IMigrationEngine"/>s.</summary>
    public static IServiceCollection AddMigrationEngine<TEngine>(this IServiceCollection services)
        where TEngine : class, IMigrationEngine
    {
        services.AddSingleton<TEngine>();
        services.AddSingleton<IMigrationEngine>(sp => sp.GetRequiredService<TEngine>());
        return services;
    }
}
