using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using EdgeMigrate.EdgeAgent.Metrics;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>
/// Listens for source agents. A connection must start with a Hello naming a migration this agent was told
/// about as target and presenting the same silo-signed token; anything else is refused and counted.
/// </summary>
public sealed partial class TransferServer(IPEndPoint listen, AgentMetrics metrics, ILogger<TransferServer> logger) : IAsyncDisposable
{
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, ReceiverSession> _sessions = new(StringComparer.Ordinal);
    private TcpAcceptLoop? _accept;

    /// <summary>Where the server listens (the real port when configured with port 0).</summary>
    public IPEndPoint? BoundEndpoint => _accept?.BoundEndpoint;

    public void Start()
    {
        _accept = TcpAcceptLoop.Start(listen, ServeAsync, reason => LogAcceptFailed(logger, reason));
        LogListening(logger, _accept.BoundEndpoint);
    }

    public void Expect(ReceiverSession session) => _sessions[session.MigrationId] = session;

    public ReceiverSession? Find(string migrationId) => _sessions.GetValueOrDefault(migrationId);

    public bool Forget(string migrationId) => _sessions.TryRemove(migrationId, out _);

    public ValueTask DisposeAsync() => _accept?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task ServeAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            try
            {
                Frame hello;
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    timeout.CancelAfter(HelloTimeout);
                    hello = await FrameCodec.ReadAsync(stream, timeout.Token);
                }

                var message = hello.Valid && hello.Header.Type == FrameType.Hello
                    ? JsonSerializer.Deserialize(hello.Payload, TransferJsonContext.Default.HelloMessage)
                    : null;
                if (message is null)
                {
                    await RefuseAsync(stream, RefusalCode.Fatal, "the first frame must be a valid hello", "bad-hello", cancellationToken);
                    return;
                }

                if (_sessions.GetValueOrDefault(message.MigrationId) is not { } session)
                {
                    await RefuseAsync(stream, RefusalCode.UnknownMigration, $"this agent was not told to receive migration {message.MigrationId}", "unknown-migration", cancellationToken);
                    return;
                }

                if (!session.TokenMatches(message.Token) || hello.Header.Tag != FrameCodec.TagOf(message.MigrationId))
                {
                    await RefuseAsync(stream, RefusalCode.BadToken, $"the token presented for migration {message.MigrationId} is not the one the silo issued to this target", "bad-token", cancellationToken);
                    return;
                }

                await session.ServeAsync(stream, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or JsonException or ObjectDisposedException)
            {
                LogConnectionEnded(logger, client.Client.RemoteEndPoint?.ToString() ?? "?", ex.GetType().Name, ex.Message);
            }
            catch (Exception ex)
            {
                LogConnectionFailed(logger, ex);
            }
        }
    }

    private async Task RefuseAsync(NetworkStream stream, RefusalCode code, string reason, string metric, CancellationToken cancellationToken)
    {
        metrics.TransferRefused(metric);
        LogRefused(logger, reason);
        var payload = JsonSerializer.SerializeToUtf8Bytes(new RefusedMessage(code, reason), TransferJsonContext.Default.RefusedMessage);
        await stream.WriteAsync(FrameCodec.Encode(new FrameHeader(FrameType.Refused, 0, 0, 0, 0, 0, payload.Length), payload), cancellationToken);
    }

    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "Transfer server listening on {Endpoint}")]
    private static partial void LogListening(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Transfer connection refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Transfer connection from {Remote} ended: {Kind}: {Reason}")]
    private static partial void LogConnectionEnded(ILogger logger, string remote, string kind, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Error, Message = "Transfer connection failed")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Transfer accept failed: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string reason);
}
