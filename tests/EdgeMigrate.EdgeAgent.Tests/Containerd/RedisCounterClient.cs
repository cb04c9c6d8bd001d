using System.Net;

namespace EdgeMigrate.EdgeAgent.Tests.Containerd;

/// <summary>
/// A client on one connection that increments a counter every <c>interval</c> and remembers the last acknowledged value
/// and when it was acknowledged: its connection breaking (the source removed at commit) ends it, as it would end a real
/// client's session. The value a restored server holds must be at least the last acknowledged one.
/// </summary>
public sealed class RedisCounterClient : IAsyncDisposable
{
    private readonly RespConnection _connection;
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time = TimeProvider.System;
    private long _longestGapTicks;

    private RedisCounterClient(RespConnection connection, TimeSpan interval)
    {
        _connection = connection;
        _interval = interval;
        Loop = Task.Run(RunAsync);
    }

    public long LastAcked { get; private set; }

    /// <summary>Timestamp (TimeProvider.System) of the last acknowledged increment.</summary>
    public long LastAckedAt { get; private set; }

    public int Acked { get; private set; }

    /// <summary>Why the loop ended (the connection broke), or null while it runs.</summary>
    public string? EndedBecause { get; private set; }

    /// <summary>The longest time between two acknowledged increments while the connection lived.</summary>
    public TimeSpan LongestGap => TimeSpan.FromTicks(Interlocked.Read(ref _longestGapTicks));

    public Task Loop { get; }

    public static async Task<RedisCounterClient> StartAsync(string netns, IPAddress address, TimeSpan interval)
    {
        var socket = await NetnsSocket.ConnectAsync(netns, new IPEndPoint(address, 6379), TimeSpan.FromSeconds(10));
        return new RedisCounterClient(new RespConnection(socket), interval);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Loop;
        }
        catch (OperationCanceledException)
        {
        }

        _connection.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var value = (long)(await _connection.CommandAsync(ct, "INCR", "counter"))!;
                var now = _time.GetTimestamp();
                if (Acked > 0)
                {
                    var gap = _time.GetElapsedTime(LastAckedAt, now).Ticks;
                    if (gap > Interlocked.Read(ref _longestGapTicks))
                    {
                        Interlocked.Exchange(ref _longestGapTicks, gap);
                    }
                }

                (LastAcked, LastAckedAt) = (value, now);
                Acked++;
                await Task.Delay(_interval, ct);
            }
            catch (Exception ex) when (ex is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                EndedBecause = ex.Message;
                return;
            }
        }
    }
}
