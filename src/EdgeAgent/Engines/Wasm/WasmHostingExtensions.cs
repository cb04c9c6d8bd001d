using Microsoft.Extensions.DependencyInjection;

namespace EdgeMigrate.EdgeAgent.Engines.Wasm;

public static class WasmHostingExtensions
{
    /// <summary>The WebAssembly engine: Wasmtime host and services, wasm migrations, request endpoint, start-up.</summary>
    public static IServiceCollection AddWasmEngine(this IServiceCollection services)
    {
        services.AddSingleton<WasmEngine>();
        services.AddSingleton<WasmMigrations>();
        services.AddSingleton<WasmStartup>();
        services.AddHostedService(sp => sp.GetRequiredService<WasmStartup>());
        return services;
    }
}
