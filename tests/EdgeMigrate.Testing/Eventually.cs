namespace EdgeMigrate.Testing;

/// <summary>
/// Waits for a condition that another process (broker, silo) makes true asynchronously. Polls with a
/// generous bound so a slow machine only makes the test slower, never wrong.
/// </summary>
public static class Eventually
{
    public static async Task<T> GetAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what, TimeSpan? within = null, CancellationToken cancellationToken = default)
    {
        var limit = within ?? TimeSpan.FromSeconds(60);
        var started = TimeProvider.System.GetTimestamp();
        T last = await probe();
        while (!done(last))
        {
            if (TimeProvider.System.GetElapsedTime(started) > limit)
            {
                throw new TimeoutException($"Gave up after {limit.TotalSeconds:0} s waiting for {what}; last value: {Describe(last)}");
            }

            await Task.Delay(50, cancellationToken);
            last = await probe();
        }

        return last;
    }

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        _ => System.Text.Json.JsonSerializer.Serialize(value),
    };
}
