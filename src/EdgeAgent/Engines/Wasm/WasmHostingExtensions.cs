using Microsoft.Extensions.DependencyInjection;

namespace EdgeMigrate.EdgeAgent.Engines.Wasm;

public static class WasmHostingExtensions
{
    /// <summary>The WebAssembly engine: Wasmtime host, services and migrations, and the services' request endpoint.</summary>
    public static IServiceCollection AddWasmEngine(this IServiceCollection services)
    {
        services.AddMigrationEngine<WasmEngine>();
        services.AddSingleton<WasmRequestEndpoint>();
        services.AddHostedService(sp => sp.GetRequiredService<WasmRequestEndpoint>());
        return services;
    }
}
