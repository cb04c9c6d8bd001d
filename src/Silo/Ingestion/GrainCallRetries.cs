using EdgeMigrate.Silo.Mqtt;
using Polly;
using Polly.Registry;

namespace EdgeMigrate.Silo.Ingestion;

/// <summary>
/// Grain calls made for inbound messages, through the retry pipeline: a silo leaving the cluster makes calls fail for
/// a moment while its grains re-activate elsewhere. Validation problems never reach a grain, so they are not retried.
/// </summary>
public sealed class GrainCallRetries(ResiliencePipelineProvider<string> pipelines)
{
    private readonly ResiliencePipeline _pipeline = pipelines.GetPipeline(MqttPipelines.GrainCall);

    public async Task RunAsync<TState>(Func<TState, Task> call, TState state) =>
        await _pipeline.ExecuteAsync(static async (s, _) => await s.call(s.state), (call, state), CancellationToken.None);

    public async Task<T> RunAsync<TState, T>(Func<TState, Task<T>> call, TState state) =>
        await _pipeline.ExecuteAsync(static async (s, _) => await s.call(s.state), (call, state), CancellationToken.None);
}
