using System.Net;
using EdgeMigrate.Testing;

namespace EdgeMigrate.Bench.Migration;

/// <summary>
/// A Redis client that increments a counter every 10 ms on one connection and, when a request gets no answer within
/// 100 ms or the connection breaks, tries every place the service may be now (the candidates: a fixed address, or the
/// pod addresses containerd lists) until one answers — a client that learns the new address at once. Each outage is
/// recorded from the last answer before it to the first answer after it, with where that answer came from.
/// </summary>
public sealed class FailoverCounterClient : IAsyncDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromMilliseconds(100);
    private readonly Func<CancellationToken, Task<IReadOnlyList<(string Label, string Netns, IPEndPoint Endpoint)>>> _candidates;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Outage> _outages = [];
    private readonly Lock _gate = new();
    private readonly TimeProvider _time = TimeProvider.System;
    private RespConnection? _connection;
    private Task? _loop;

    public FailoverCounterClient(Func<CancellationToken, Task<IReadOnlyList<(string Label, string Netns, IPEndPoint Endpoint)>>> candidates) => _candidates = candidates;

    public long LastValue { get; private set; }

    public string Serving { get; private set; } = "none";

    public record Outage(TimeSpan Length, string After);

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Outages since the last <see cref="TakeOutages"/>, and clears them.</summary>
    public IReadOnlyList<Outage> TakeOutages()
    {
        lock (_gate)
        {
            var taken = _outages.ToList();
            _outages.Clear();
            return taken;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            try
            {
                await _loop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        _connection?.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        long? lastAck = null;
        while (!ct.IsCancellationRequested)
        {
            if (_connection is not null && await TryIncrementAsync(_connection, ct) is { } value)
            {
                lastAck = Acked(lastAck, value, Serving);
                await Task.Delay(10, ct);
                continue;
            }

            _connection?.Dispose();
            _connection = null;
            foreach (var (label, netns, endpoint) in await _candidates(ct))
            {
                RespConnection? candidate = null;
                try
                {
                    candidate = new RespConnection(await NetnsSocket.ConnectAsync(netns, endpoint, RequestTimeout));
                    if (await TryIncrementAsync(candidate, ct) is { } answered)
                    {
                        (_connection, Serving) = (candidate, label);
                        lastAck = Acked(lastAck, answered, label);
                        break;
                    }
                }
                catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
                {
                    // Not there (yet): the next candidate.
                }

                candidate?.Dispose();
            }

            await Task.Delay(10, ct);
        }
    }

    private long Acked(long? lastAck, long value, string where)
    {
        var now = _time.GetTimestamp();
        if (lastAck is { } last && _time.GetElapsedTime(last, now) > TimeSpan.FromMilliseconds(150))
        {
            lock (_gate)
            {
                _outages.Add(new Outage(_time.GetElapsedTime(last, now), where));
            }
        }

        LastValue = value;
        return now;
    }

    private static async Task<long?> TryIncrementAsync(RespConnection connection, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            return (long)(await connection.CommandAsync(timeout.Token, "INCR", "counter"))!;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            return null;
        }
    }
}
