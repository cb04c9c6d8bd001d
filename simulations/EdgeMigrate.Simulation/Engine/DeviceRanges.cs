namespace EdgeMigrate.Simulation.Engine;

/// <summary>
/// Splits devices into contiguous ranges, one per worker, and runs them at once. Work per device is independent and
/// every result lands in the device's own slot, so the outcome does not depend on the number of workers.
/// </summary>
internal static class DeviceRanges
{
    public static void Run(int devices, int parallelism, Action<int, int> range)
    {
        var workers = Math.Clamp(parallelism, 1, Math.Max(1, devices));
        if (workers == 1)
        {
            range(0, devices);
            return;
        }

        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            var first = (int)((long)devices * w / workers);
            var end = (int)((long)devices * (w + 1) / workers);
            range(first, end - first);
        });
    }
}
