using System.Globalization;

namespace EdgeMigrate.Bench.Migration;

/// <summary>
/// What a client of the migrated service sees: a counter that advances while the service runs, and on which node
/// it advanced. For the container's counter workload the probe reads the workload's state file on both nodes every
/// 10 ms (the counter ticks every 100 ms, so a pause reads as ≈ downtime + one tick, ±10 ms); for a wasm service a
/// <see cref="WasmRequestClient"/> sends requests at a fixed rate and the counter is the service's request count.
/// The client-observed downtime of a migration is the gap that ends with the first advance on the target; other
/// long gaps are pauses of the running source (a live round that stops it: CRIU's dump, wasm page hashing).
/// </summary>
public sealed class ClientProbe : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private long _counter = -1;
    private long _lastAdvance = TimeProvider.System.GetTimestamp();
    private int _watch = -1;
    private Window _window = new();

    private ClientProbe(Func<ClientProbe, CancellationToken, Task> loop)
    {
        _loop = Task.Run(() => loop(this, _stop.Token));
    }

    /// <summary>Reads the counter workload's state files (one per node, in node order) every 10 ms.</summary>
    public static ClientProbe ForStateFiles(params string[] files) => new((probe, ct) => probe.PollStateFilesAsync(files, ct));

    /// <summary>Drives the wasm request client; it reports each answer.</summary>
    public static ClientProbe ForWasm(WasmRequestClient client) => new((probe, ct) => client.RunAsync(probe, ct));

    public long Counter
    {
        get
        {
            lock (_gate)
            {
                return _counter;
            }
        }
    }

    /// <summary>Starts a measurement: the migration moves the service to node <paramref name="target"/> (an index into the nodes).</summary>
    public void Begin(int target)
    {
        lock (_gate)
        {
            _watch = target;
            _window = new Window { Started = TimeProvider.System.GetTimestamp() };
        }
    }

    public Window Current
    {
        get
        {
            lock (_gate)
            {
                return _window with { };
            }
        }
    }

    /// <summary>The service answered on <paramref name="node"/> with <paramref name="counter"/>; <paramref name="corrupt"/> says what was wrong with it.</summary>
    public void Observe(int node, long counter, string? corrupt)
    {
        var now = TimeProvider.System.GetTimestamp();
        lock (_gate)
        {
            if (corrupt is not null)
            {
                _window.Corrupt ??= corrupt;
            }

            if (counter <= _counter)
            {
                return;
            }

            var gap = TimeProvider.System.GetElapsedTime(_lastAdvance, now);
            if (_counter >= 0 && _watch >= 0)
            {
                if (node == _watch && _window.SwitchGap is null)
                {
                    _window.SwitchGap = gap;
                    _window.SwitchedAfter = TimeProvider.System.GetElapsedTime(_window.Started, now);
                }
                else if (gap > _window.LongestOtherPause)
                {
                    _window.LongestOtherPause = gap;
                }
            }

            _counter = counter;
            _lastAdvance = now;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task PollStateFilesAsync(string[] files, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (await timer.WaitForNextTickAsync(ct))
        {
            for (var i = 0; i < files.Length; i++)
            {
                string[] parts;
                try
                {
                    parts = File.ReadAllText(files[i]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    continue;
                }

                if (parts.Length >= 2 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var counter))
                {
                    Observe(i, counter, parts[1] == "ok" ? null : string.Join(' ', parts));
                }
            }
        }
    }

    /// <summary>One migration as the client saw it.</summary>
    public sealed record Window
    {
        public long Started { get; init; }

        /// <summary>The pause that ended when the counter first advanced on the target.</summary>
        public TimeSpan? SwitchGap { get; set; }

        /// <summary>From <see cref="Begin"/> to that first advance on the target.</summary>
        public TimeSpan? SwitchedAfter { get; set; }

        /// <summary>The longest pause of the source while it kept running (live rounds).</summary>
        public TimeSpan LongestOtherPause { get; set; }

        public string? Corrupt { get; set; }
    }
}
