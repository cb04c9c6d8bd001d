using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>
/// The target side of one migration's transfer: the position reached (round, next frame), the image files being
/// rebuilt under <see cref="ImagesDirectory"/>, and the outcome of the final restore. Survives connections: a
/// new connection from the sender replaces the old one and continues from the position.
/// </summary>
public sealed partial class ReceiverSession(
    string migrationId,
    string serviceId,
    string token,
    string directory,
    ReceiverCallbacks callbacks,
    TimeProvider time,
    ILogger logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly TaskCompletionSource<Frame> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ulong _tag = FrameCodec.TagOf(migrationId);
    private CancellationTokenSource? _current;
    private RoundManifest? _manifest;
    private SafeFileHandle[] _handles = [];
    private uint? _nackedSeq;

    public string MigrationId { get; } = migrationId;

    public string ServiceId { get; } = serviceId;

    /// <summary>The token the silo gave this agent for this migration; a sender must present the same.</summary>
    public string Token { get; } = token;

    public string Directory { get; } = directory;

    public string ImagesDirectory => Path.Combine(Directory, "images");

    public string BundleFile => Path.Combine(Directory, "bundle.tar");

    public uint Round { get; private set; }

    public uint Seq { get; private set; }

    public bool FinalComplete { get; private set; }

    public int Nacks { get; private set; }

    public int Connections { get; private set; }

    public long BytesReceived { get; private set; }

    public long LastActivityTimestamp { get; private set; } = time.GetTimestamp();

    /// <summary>Restored (with downtime) or RestoreFailed, once the final round was applied.</summary>
    public Task<Frame> Outcome => _outcome.Task;

    public bool TokenMatches(string presented)
    {
        var expected = System.Text.Encoding.UTF8.GetBytes(Token);
        var given = System.Text.Encoding.UTF8.GetBytes(presented);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>Serves one connection until it breaks, the final outcome is sent, or a newer connection takes over.</summary>
    public async Task ServeAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var mine = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var previous = Interlocked.Exchange(ref _current, mine);
        if (previous is not null)
        {
            await previous.CancelAsync();
        }

        await _gate.WaitAsync(mine.Token);
        try
        {
            Connections++;
            var ct = mine.Token;
            _nackedSeq = null;
            var welcome = new WelcomeMessage(Round, Seq, callbacks.HasBundle(this), FinalComplete);
            await WriteAsync(stream, FrameType.Welcome, JsonSerializer.SerializeToUtf8Bytes(welcome, TransferJsonContext.Default.WelcomeMessage), Round, Seq, ct);
            if (FinalComplete)
            {
                await SendOutcomeAsync(stream, ct);
                return;
            }

            while (!ct.IsCancellationRequested)
            {
                var frame = await FrameCodec.ReadAsync(stream, ct);
                LastActivityTimestamp = time.GetTimestamp();
                BytesReceived += FrameCodec.HeaderSize + frame.Payload.Length;
                var h = frame.Header;
                if (!frame.Valid || h.Tag != _tag)
                {
                    await NackAsync(stream, ct);
                    continue;
                }

                switch (h.Type)
                {
                    case FrameType.RoundBegin when Seq == 0 && h.Round >= Round:
                        Begin(JsonSerializer.Deserialize(frame.Payload, TransferJsonContext.Default.RoundManifest)
                            ?? throw new TransferProtocolException("empty manifest"));
                        break;
                    case FrameType.Data when h.Round == Round && h.Seq == Seq && _manifest is not null:
                        if (h.File >= _handles.Length || (long)h.Offset + h.Length > _manifest.Files[(int)h.File].Length)
                        {
                            throw new TransferProtocolException($"frame {h.Seq} writes outside file {h.File}");
                        }

                        RandomAccess.Write(_handles[h.File], frame.Payload, (long)h.Offset);
                        Accept();
                        break;
                    case FrameType.RoundEnd when h.Round == Round && h.Seq == Seq && _manifest is not null:
                        var end = JsonSerializer.Deserialize(frame.Payload, TransferJsonContext.Default.RoundEndMessage) ?? new RoundEndMessage(null, null);
                        if (await EndAsync(stream, end, time.GetTimestamp(), ct))
                        {
                            return;
                        }

                        break;
                    case FrameType.Abort:
                        var reason = JsonSerializer.Deserialize(frame.Payload, TransferJsonContext.Default.ReasonMessage)?.Reason ?? "no reason";
                        LogAborted(logger, MigrationId, reason);
                        CloseHandles();
                        await callbacks.Aborted(this, reason);
                        return;
                    case FrameType.Data or FrameType.RoundEnd when h.Round == Round && h.Seq < Seq:
                    case FrameType.RoundBegin when h.Round < Round || (h.Round == Round && Seq > 0):
                        // A duplicate of something already applied (the sender rewound further than needed).
                        break;
                    default:
                        await NackAsync(stream, ct);
                        break;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Begin(RoundManifest manifest)
    {
        CloseHandles();
        var dir = manifest.Kind == TransferRound.BundleKind ? Directory : ImagesDirectory;
        System.IO.Directory.CreateDirectory(dir);
        if (manifest.Kind == TransferRound.ImagesKind)
        {
            var keep = manifest.Files.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var stale in System.IO.Directory.GetFiles(dir).Where(p => !keep.Contains(Path.GetFileName(p))))
            {
                File.Delete(stale);
            }
        }

        _handles = [.. manifest.Files.Select(f =>
        {
            if (f.Name.Contains('/', StringComparison.Ordinal) || f.Name.Contains('\\', StringComparison.Ordinal) || f.Name is "." or "..")
            {
                throw new TransferProtocolException($"refusing file name '{f.Name}'");
            }

            var handle = File.OpenHandle(Path.Combine(dir, f.Name), FileMode.OpenOrCreate, FileAccess.ReadWrite);
            RandomAccess.SetLength(handle, f.Length);
            return handle;
        })];
        _manifest = manifest;
        Round = manifest.Round;
        Accept();
    }

    private void Accept()
    {
        Seq++;
        _nackedSeq = null;
    }

    /// <summary>Verifies the round's files; true when the connection's work is done (final outcome sent).</summary>
    private async Task<bool> EndAsync(NetworkStream stream, RoundEndMessage end, long endReceived, CancellationToken ct)
    {
        var manifest = _manifest!;
        CloseHandles();
        var dir = manifest.Kind == TransferRound.BundleKind ? Directory : ImagesDirectory;
        foreach (var file in manifest.Files)
        {
            var path = Path.Combine(dir, file.Name);
            var actual = await ImageDigest.HashFileAsync(path, ct);
            string? sha = null;
            if (file.Sha256 is not null)
            {
                await using var content = File.OpenRead(path);
                sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(content, ct));
            }

            if (actual != file.Xxh128 || (file.Sha256 is not null && sha != file.Sha256))
            {
                var why = $"round {manifest.Round}: {file.Name} does not match its manifest hash after all frames were applied";
                await WriteAsync(stream, FrameType.Error, JsonSerializer.SerializeToUtf8Bytes(new ReasonMessage(why), TransferJsonContext.Default.ReasonMessage), Round, Seq, ct);
                throw new TransferProtocolException(why);
            }
        }

        LogRoundComplete(logger, MigrationId, manifest.Round, manifest.Kind, manifest.Final, manifest.FrameCount);
        if (!manifest.Final)
        {
            try
            {
                await callbacks.RoundCompleted(this, manifest, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The engine cannot use this round (image missing, bundle unusable): tell the sender why, so it rolls back
                // at once with the reason instead of resending a round that will fail again.
                var why = $"round {manifest.Round} ({manifest.Kind}) cannot be used here: {ex.Message}";
                await WriteAsync(stream, FrameType.Error, JsonSerializer.SerializeToUtf8Bytes(new ReasonMessage(why), TransferJsonContext.Default.ReasonMessage), Round, Seq, ct);
                throw new TransferProtocolException(why);
            }

            Round = manifest.Round + 1;
            Seq = 0;
            _manifest = null;
            await WriteAsync(stream, FrameType.RoundAck, [], manifest.Round, 0, ct);
            return false;
        }

        FinalComplete = true;
        Round = manifest.Round + 1;
        Seq = 0;
        try
        {
            var restoreMs = await callbacks.Restore(this, CancellationToken.None);
            var downtime = (end.FrozenMs ?? 0) + ((end.RttMs ?? 0) / 2) + time.GetElapsedTime(endReceived).TotalMilliseconds;
            var restored = JsonSerializer.SerializeToUtf8Bytes(new RestoredMessage(downtime, restoreMs), TransferJsonContext.Default.RestoredMessage);
            _outcome.TrySetResult(new Frame(new FrameHeader(FrameType.Restored, _tag, manifest.Round, 0, 0, 0, restored.Length), restored, true));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var failed = JsonSerializer.SerializeToUtf8Bytes(new ReasonMessage(ex.Message), TransferJsonContext.Default.ReasonMessage);
            _outcome.TrySetResult(new Frame(new FrameHeader(FrameType.RestoreFailed, _tag, manifest.Round, 0, 0, 0, failed.Length), failed, true));
        }

        await SendOutcomeAsync(stream, ct);
        return true;
    }

    private async Task SendOutcomeAsync(NetworkStream stream, CancellationToken ct)
    {
        var outcome = await _outcome.Task.WaitAsync(ct);
        await WriteAsync(stream, outcome.Header.Type, outcome.Payload, outcome.Header.Round, 0, ct);
    }

    private async Task NackAsync(NetworkStream stream, CancellationToken ct)
    {
        if (_nackedSeq == Seq)
        {
            return; // already asked; everything until that frame arrives again is dropped
        }

        _nackedSeq = Seq;
        Nacks++;
        LogNack(logger, MigrationId, Round, Seq);
        await WriteAsync(stream, FrameType.Nack, [], Round, Seq, ct);
    }

    private Task WriteAsync(NetworkStream stream, FrameType type, byte[] payload, uint round, uint seq, CancellationToken ct) =>
        stream.WriteAsync(FrameCodec.Encode(new FrameHeader(type, _tag, round, seq, 0, 0, payload.Length), payload), ct).AsTask();

    private void CloseHandles()
    {
        foreach (var handle in _handles)
        {
            handle.Dispose();
        }

        _handles = [];
    }

    [LoggerMessage(EventId = 4200, Level = LogLevel.Warning, Message = "Migration {MigrationId}: bad frame in round {Round}; asked for frame {Seq} again")]
    private static partial void LogNack(ILogger logger, string migrationId, uint round, uint seq);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Migration {MigrationId}: round {Round} ({Kind}, final {Final}, {Frames} frames) verified")]
    private static partial void LogRoundComplete(ILogger logger, string migrationId, uint round, string kind, bool final, uint frames);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Migration {MigrationId}: the sender aborted: {Reason}")]
    private static partial void LogAborted(ILogger logger, string migrationId, string reason);
}
