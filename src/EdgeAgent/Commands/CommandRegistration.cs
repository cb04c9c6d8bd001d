using Microsoft.Extensions.DependencyInjection;

namespace EdgeMigrate.EdgeAgent.Commands;

public static class CommandRegistration
{
    /// <summary>Adds a check every command passes before dispatch; checks run in the order they were added.</summary>
    public static IServiceCollection AddCommandCheck<TCheck>(this IServiceCollection services)
        where TCheck : class, ICommandCheck => services.AddSingleton<ICommandCheck, TCheck>();

    /// <summary>Adds the handler of one command kind.</summary>
    public static IServiceCollection AddCommandHandler<THandler>(this IServiceCollection services)
        where THandler : class, ICommandHandler => services.AddSingleton<ICommandHandler, THandler>();
}
