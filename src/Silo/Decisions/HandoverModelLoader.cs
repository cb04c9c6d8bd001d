using Microsoft.Extensions.Options;

namespace EdgeMigrate.Silo.Decisions;

/// <summary>Loads <c>--model</c> at start-up; a model that does not load stops the silo with the reason.</summary>
public sealed class HandoverModelLoader(IOptions<DecisionOptions> options, HandoverModelHolder holder) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ModelPath is { Length: > 0 } path)
        {
            holder.Load(path);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
