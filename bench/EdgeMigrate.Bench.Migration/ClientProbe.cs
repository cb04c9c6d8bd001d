using System.Globalization;

namespace EdgeMigrate.Bench.Migration;

/// <summary>
/// What a client of the counter service sees: every 10 ms it reads the workload's state file on both nodes and notes
/// when the counter advances, and where. The client-observed downtime of a migration is the gap that ends with the
/// first advance on the target; it includes one 100 ms workload tick (so ≈ downtime + 100 ms, ±10 ms).
/// Other long gaps are pauses of the running source (CRIU freezes the task while a live round dumps it).
/// </summary>
public sealed class ClientProbe : IAsyncDisposable
{
    private readonly string[] _files;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private long _counter = -1;
    private long _lastAdvance = TimeProvider.System.GetTimestamp();
    private int _watch = -1;
    private Window _window = new();

    public ClientProbe(params string[] files)
    {
        _files = files;
        _loop = Task.Run(LoopAsync);
    }

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

    /// <summary>Starts a measurement: the migration moves the service to the node of <paramref name="targetFile"/> (an index into the files).</summary>
    public void Begin(int targetFile)
    {
        lock (_gate)
        {
            _watch = targetFile;
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

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10));
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            for (var i = 0; i < _files.Length; i++)
            {
                string[] parts;
                try
                {
                    parts = File.ReadAllText(_files[i]).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    continue;
                }

                if (parts.Length < 2 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var counter))
                {
                    continue;
                }

                var now = TimeProvider.System.GetTimestamp();
                lock (_gate)
                {
                    if (parts[1] != "ok")
                    {
                        _window.Corrupt ??= string.Join(' ', parts);
                    }

                    if (counter <= _counter)
                    {
                        continue;
                    }

                    var gap = TimeProvider.System.GetElapsedTime(_lastAdvance, now);
                    if (_counter >= 0 && _watch >= 0)
                    {
                        if (i == _watch && _window.SwitchGap is null)
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

        /// <summary>The longest pause of the source while it kept running (live-round dumps).</summary>
        public TimeSpan LongestOtherPause { get; set; }

        public string? Corrupt { get; set; }
    }
}
