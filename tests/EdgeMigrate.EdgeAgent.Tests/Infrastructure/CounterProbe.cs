using System.Globalization;

namespace EdgeMigrate.EdgeAgent.Tests.Infrastructure;

/// <summary>
/// A client's view of the counter service: reads the workload's state file on every node that may host it
/// (every 10 ms) and records when the counter advances. The longest time without an advance is the pause a
/// client of the service saw; it includes one workload tick (100 ms), so its resolution is about ±20 ms
/// around "downtime + 100 ms". A memory self-check failure on any node is remembered.
/// </summary>
public sealed class CounterProbe : IAsyncDisposable
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(10);
    private readonly string[] _stateFiles;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private readonly Task _loop;
    private long _counter = -1;
    private long _lastAdvance;
    private TimeSpan _longestGap;
    private List<TimeSpan> _pauses = [];
    private string? _corrupt;

    public CounterProbe(params string[] stateFiles)
    {
        _stateFiles = stateFiles;
        _lastAdvance = TimeProvider.System.GetTimestamp();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Highest counter value seen on any node.</summary>
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

    /// <summary>Longest pause between two counter advances since the last <see cref="Reset"/>.</summary>
    public TimeSpan LongestGap
    {
        get
        {
            lock (_gate)
            {
                return _longestGap;
            }
        }
    }

    /// <summary>Every pause longer than <paramref name="threshold"/> since the last <see cref="Reset"/>, in order.</summary>
    public IReadOnlyList<TimeSpan> PausesLongerThan(TimeSpan threshold)
    {
        lock (_gate)
        {
            return _pauses.Where(p => p > threshold).ToList();
        }
    }

    /// <summary>The first state line whose memory check said CORRUPT, if any.</summary>
    public string? Corrupt
    {
        get
        {
            lock (_gate)
            {
                return _corrupt;
            }
        }
    }

    /// <summary>Starts a new measurement window (before a migration).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _longestGap = TimeSpan.Zero;
            _pauses = [];
            _lastAdvance = TimeProvider.System.GetTimestamp();
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
        using var timer = new PeriodicTimer(Period);
        while (await timer.WaitForNextTickAsync(_stop.Token))
        {
            foreach (var file in _stateFiles)
            {
                string[] parts;
                try
                {
                    parts = File.ReadAllText(file).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                }
                catch (IOException)
                {
                    continue; // not there (yet, or any more)
                }
                catch (UnauthorizedAccessException)
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
                        _corrupt ??= $"{file}: {string.Join(' ', parts)}";
                    }

                    if (counter > _counter)
                    {
                        if (_counter >= 0)
                        {
                            var gap = TimeProvider.System.GetElapsedTime(_lastAdvance, now);
                            _longestGap = gap > _longestGap ? gap : _longestGap;
                            if (gap > Period * 20)
                            {
                                _pauses.Add(gap);
                            }
                        }

                        _counter = counter;
                        _lastAdvance = now;
                    }
                }
            }
        }
    }
}
