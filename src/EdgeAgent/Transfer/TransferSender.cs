using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Polly;

namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>
/// The source side of one migration's transfer. Sends rounds of frames; every attempt is one connection:
/// handshake (Hello → Welcome with the receiver's position), frames from that position on, then the round's
/// acknowledgement. A broken connection, a stall or a lost framing fails the attempt; the retry pipeline
/// reconnects and the round continues where the receiver says it is. A NACK (bad checksum) rewinds the stream
/// to that frame on the same connection.
/// </summary>
public sealed partial class TransferSender(
    string endpoint,
    HelloMessage hello,
    ResiliencePipeline pipeline,
    TransferFaults faults,
    TransferTimeouts timeouts,
    TimeProvider time,
    ILogger logger) : IAsyncDisposable
{
    private readonly ulong _tag = FrameCodec.TagOf(hello.MigrationId);
    private Connection? _connection;
    private long _bytesWritten;
    private int _connections;

    /// <summary>Everything written to the wire, frames and retransmissions included.</summary>
    public long BytesWritten => Interlocked.Read(ref _bytesWritten);

    /// <summary>How many connections were opened (1 + resumptions).</summary>
    public int Connections => _connections;

    public int Rewinds { get; private set; }

    /// <summary>Round-trip time measured by the last handshake.</summary>
    public double? RttMs { get; private set; }

    public Task<WelcomeMessage> ConnectAsync(CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(static async (self, ct) => (await self.EnsureConnectedAsync(ct)).Welcome, this, cancellationToken).AsTask();

    /// <summary>Sends a round until the receiver acknowledges it; for the final round the answer is Restored or RestoreFailed.</summary>
    public Task<Frame> SendRoundAsync(TransferRound round, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(static (state, ct) => new ValueTask<Frame>(state.self.SendRoundOnceAsync(state.round, ct)), (self: this, round), cancellationToken).AsTask();

    /// <summary>Best effort: tell the receiver to discard what it has.</summary>
    public async Task AbortAsync(string reason)
    {
        if (_connection is not { } connection)
        {
            return;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            var payload = JsonSerializer.SerializeToUtf8Bytes(new ReasonMessage(reason), TransferJsonContext.Default.ReasonMessage);
            await connection.Stream.WriteAsync(FrameCodec.Encode(new FrameHeader(FrameType.Abort, _tag, 0, 0, 0, 0, payload.Length), payload), timeout.Token);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The receiver also expires idle sessions.
        }
    }

    public ValueTask DisposeAsync()
    {
        Drop();
        return ValueTask.CompletedTask;
    }

    private async Task<Frame> SendRoundOnceAsync(TransferRound round, CancellationToken cancellationToken)
    {
        try
        {
            return await SendOnConnectionAsync(await EnsureConnectedAsync(cancellationToken), round, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or ObjectDisposedException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogAttemptFailed(logger, hello.MigrationId, round.Number, ex.Message);
            Drop();
            throw ex is OperationCanceledException or ObjectDisposedException ? new IOException(ex.Message, ex) : ex;
        }
        catch
        {
            Drop();
            throw;
        }
    }

    private async Task<Frame> SendOnConnectionAsync(Connection connection, TransferRound round, CancellationToken cancellationToken)
    {
        var welcome = connection.Welcome;
        uint start;
        if (welcome.Round > round.Number || (round.Final && welcome.FinalComplete))
        {
            // The receiver finished this round on an earlier connection; only the acknowledgement was lost.
            if (!round.Final)
            {
                return new Frame(new FrameHeader(FrameType.RoundAck, _tag, round.Number, 0, 0, 0, 0), [], true);
            }

            start = round.FrameCount;
        }
        else if (welcome.Round == round.Number)
        {
            start = welcome.Seq;
        }
        else if (welcome.Seq == 0)
        {
            start = 0;
        }
        else
        {
            throw new TransferRefusedException(RefusalCode.Fatal, $"receiver is in round {welcome.Round} at frame {welcome.Seq}, the sender in round {round.Number}");
        }

        if (start > 0 && start < round.FrameCount)
        {
            LogResuming(logger, hello.MigrationId, round.Number, start, round.FrameCount);
        }

        var rewinds = Channel.CreateUnbounded<uint>();
        var outcome = new TaskCompletionSource<Frame>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var reader = ReadAnswersAsync(connection, round, rewinds.Writer, outcome, linked.Token);
        var handles = round.Files.Select(f => File.OpenHandle(Path.Combine(round.SourceDirectory, f.Name), FileMode.Open, FileAccess.Read)).ToArray();
        try
        {
            var seq = start;
            while (true)
            {
                while (seq < round.FrameCount)
                {
                    if (rewinds.Reader.TryRead(out var back))
                    {
                        seq = back;
                        Rewinds++;
                        continue;
                    }

                    await WriteFrameAsync(connection, round, seq, handles, linked.Token);
                    seq++;
                }

                var waitLimit = round.Final ? timeouts.Restore : timeouts.RoundAck;
                var rewind = rewinds.Reader.WaitToReadAsync(linked.Token).AsTask();
                var done = await Task.WhenAny(outcome.Task, rewind, reader, Task.Delay(waitLimit, time, linked.Token));
                if (outcome.Task.IsCompleted)
                {
                    var answer = await outcome.Task;
                    connection.Welcome = welcome with { Round = round.Number + 1, Seq = 0, FinalComplete = round.Final };
                    return answer;
                }

                if (done == reader)
                {
                    await reader;
                    throw new IOException("the receiver closed the connection before acknowledging the round");
                }

                if (done != rewind)
                {
                    throw new TimeoutException($"no acknowledgement of round {round.Number} within {waitLimit.TotalSeconds:0} s");
                }

                if (rewinds.Reader.TryRead(out var again))
                {
                    seq = again;
                    Rewinds++;
                }
            }
        }
        finally
        {
            await linked.CancelAsync();
            foreach (var handle in handles)
            {
                handle.Dispose();
            }

            try
            {
                await reader;
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException or TransferProtocolException)
            {
                // The attempt's outcome is decided above.
            }
        }
    }

    private async Task WriteFrameAsync(Connection connection, TransferRound round, uint seq, SafeFileHandle[] handles, CancellationToken cancellationToken)
    {
        byte[] frame;
        var lastFrame = round.FrameCount - 1;
        if (seq == 0)
        {
            var manifest = JsonSerializer.SerializeToUtf8Bytes(round.Manifest, TransferJsonContext.Default.RoundManifest);
            frame = FrameCodec.Encode(new FrameHeader(FrameType.RoundBegin, _tag, round.Number, 0, 0, 0, manifest.Length), manifest);
        }
        else if (seq == lastFrame)
        {
            var end = JsonSerializer.SerializeToUtf8Bytes(round.End?.Invoke() ?? new RoundEndMessage(null, RttMs), TransferJsonContext.Default.RoundEndMessage);
            frame = FrameCodec.Encode(new FrameHeader(FrameType.RoundEnd, _tag, round.Number, seq, 0, 0, end.Length), end);
        }
        else
        {
            var item = round.Items[(int)seq - 1];
            var payload = new byte[item.Length];
            var read = await RandomAccess.ReadAsync(handles[item.File], payload, item.Offset, cancellationToken);
            if (read != item.Length)
            {
                throw new InvalidOperationException($"{round.Files[item.File].Name} is shorter than its digest: the round's images changed under the sender");
            }

            var header = new FrameHeader(FrameType.Data, _tag, round.Number, seq, (uint)item.File, (ulong)item.Offset, item.Length);
            frame = FrameCodec.Encode(header, payload);
            switch (faults.Decide(header))
            {
                case FrameFault.CorruptPayload:
                    frame[FrameCodec.HeaderSize + (item.Length / 2)] ^= 0x5A;
                    LogInjected(logger, "corrupt payload", round.Number, seq);
                    break;
                case FrameFault.DropConnection:
                    LogInjected(logger, "cut connection", round.Number, seq);
                    connection.Tcp.Client.Close(0);
                    throw new IOException($"connection cut before frame {seq} of round {round.Number} (injected fault)");
            }
        }

        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(timeouts.WriteStall);
        try
        {
            await connection.Stream.WriteAsync(frame, stall.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"a frame write stalled for {timeouts.WriteStall.TotalSeconds:0} s: the link is down");
        }

        Interlocked.Add(ref _bytesWritten, frame.Length);
    }

    private static async Task ReadAnswersAsync(Connection connection, TransferRound round, ChannelWriter<uint> rewinds, TaskCompletionSource<Frame> outcome, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var frame = await FrameCodec.ReadAsync(connection.Stream, cancellationToken);
            if (!frame.Valid)
            {
                throw new TransferProtocolException("an answer from the receiver failed its checksum");
            }

            switch (frame.Header.Type)
            {
                case FrameType.Nack when frame.Header.Round == round.Number:
                    rewinds.TryWrite(frame.Header.Seq);
                    break;
                case FrameType.RoundAck when frame.Header.Round == round.Number:
                case FrameType.Restored or FrameType.RestoreFailed:
                    outcome.TrySetResult(frame);
                    return;
                case FrameType.Refused or FrameType.Error:
                    outcome.TrySetException(new TransferRefusedException(RefusalCode.Fatal, $"receiver: {ReasonOf(frame)}"));
                    return;
            }
        }
    }

    private async Task<Connection> EnsureConnectedAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } existing)
        {
            return existing;
        }

        var colon = endpoint.LastIndexOf(':');
        var host = endpoint[..colon].Trim('[', ']');
        var port = int.Parse(endpoint.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(timeouts.Connect);
            var started = time.GetTimestamp();
            await tcp.ConnectAsync(host, port, timeout.Token);
            var stream = tcp.GetStream();
            var payload = JsonSerializer.SerializeToUtf8Bytes(hello, TransferJsonContext.Default.HelloMessage);
            await stream.WriteAsync(FrameCodec.Encode(new FrameHeader(FrameType.Hello, _tag, 0, 0, 0, 0, payload.Length), payload), timeout.Token);
            var answer = await FrameCodec.ReadAsync(stream, timeout.Token);
            RttMs = time.GetElapsedTime(started).TotalMilliseconds;
            if (!answer.Valid)
            {
                throw new TransferProtocolException("the receiver's answer to hello failed its checksum");
            }

            if (answer.Header.Type == FrameType.Refused)
            {
                var refused = JsonSerializer.Deserialize(answer.Payload, TransferJsonContext.Default.RefusedMessage);
                throw new TransferRefusedException(refused?.Code ?? RefusalCode.Fatal, $"receiver at {endpoint} refused migration {hello.MigrationId}: {refused?.Reason}");
            }

            if (answer.Header.Type != FrameType.Welcome)
            {
                throw new TransferProtocolException($"expected welcome, got {answer.Header.Type}");
            }

            var welcome = JsonSerializer.Deserialize(answer.Payload, TransferJsonContext.Default.WelcomeMessage)
                ?? throw new TransferProtocolException("empty welcome");
            Interlocked.Increment(ref _connections);
            LogConnected(logger, hello.MigrationId, endpoint, welcome.Round, welcome.Seq, RttMs.Value);
            return _connection = new Connection(tcp, stream, welcome);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            tcp.Dispose();
            throw new TimeoutException($"connecting to {endpoint} took longer than {timeouts.Connect.TotalSeconds:0} s");
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private void Drop()
    {
        var connection = Interlocked.Exchange(ref _connection, null);
        connection?.Tcp.Dispose();
    }

    private static string ReasonOf(Frame frame)
    {
        try
        {
            return JsonSerializer.Deserialize(frame.Payload, TransferJsonContext.Default.ReasonMessage)?.Reason ?? frame.Header.Type.ToString();
        }
        catch (JsonException)
        {
            return frame.Header.Type.ToString();
        }
    }

    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "Migration {MigrationId}: connected to {Endpoint}; receiver at round {Round} frame {Seq}; rtt {RttMs:0.0} ms")]
    private static partial void LogConnected(ILogger logger, string migrationId, string endpoint, uint round, uint seq, double rttMs);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "Migration {MigrationId}: round {Round} attempt failed: {Reason}")]
    private static partial void LogAttemptFailed(ILogger logger, string migrationId, uint round, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Migration {MigrationId}: resuming round {Round} at frame {Seq} of {Count}")]
    private static partial void LogResuming(ILogger logger, string migrationId, uint round, uint seq, uint count);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Warning, Message = "Injected transfer fault: {Fault} at round {Round} frame {Seq}")]
    private static partial void LogInjected(ILogger logger, string fault, uint round, uint seq);

    private sealed class Connection(TcpClient tcp, NetworkStream stream, WelcomeMessage welcome)
    {
        public TcpClient Tcp { get; } = tcp;

        public NetworkStream Stream { get; } = stream;

        /// <summary>The receiver's position: from the handshake, then advanced by every acknowledged round.</summary>
        public WelcomeMessage Welcome { get; set; } = welcome;
    }
}
