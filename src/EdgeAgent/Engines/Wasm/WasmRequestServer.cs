using System.Net;
using System.Net.Sockets;
using System.Text;
using EdgeMigrate.EdgeAgent.Transfer;
using EdgeMigrate.EdgeAgent.Wasm;
using Microsoft.Extensions.Logging;

namespace EdgeMigrate.EdgeAgent.Engines.Wasm;

/// <summary>
/// The way clients talk to wasm services: a line protocol on TCP (<c>--wasm-listen IP:PORT</c>). Each line
/// <c>SERVICE_ID REQUEST</c> (UTF-8) is forwarded to that service's <see cref="WasmWorkload.HandleAsync"/> and
/// answered with one line:
/// <c>ok ANSWER</c> | <c>moved NODE_ID</c> (the service left this node: ask there) | <c>unknown SERVICE_ID</c> |
/// <c>error REASON</c>. In answers, <c>\</c>, line feed and carriage return are escaped as <c>\\</c>, <c>\n</c>,
/// <c>\r</c>. Requests on one connection are answered in order; a request that arrives while its service is
/// frozen for migration waits at the call gate and is answered <c>moved</c> once the target serves.
/// </summary>
public sealed partial class WasmRequestServer(IPEndPoint listen, WasmEngine engine, ILogger<WasmRequestServer> logger) : IAsyncDisposable
{
    public const int MaxLineBytes = 1024 * 1024;
    private TcpAcceptLoop? _accept;

    public IPEndPoint? BoundEndpoint => _accept?.BoundEndpoint;

    public void Start()
    {
        _accept = TcpAcceptLoop.Start(listen, ServeAsync, reason => LogAcceptFailed(logger, reason));
        LogListening(logger, _accept.BoundEndpoint);
    }

    /// <summary>One request line to its answer line (without the line feed).</summary>
    public async Task<string> AnswerAsync(string line, CancellationToken cancellationToken)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var serviceId = space < 0 ? line : line[..space];
        var request = space < 0 ? string.Empty : line[(space + 1)..];
        if (engine.Find(serviceId) is not { } service)
        {
            return engine.MovedTo(serviceId) is { } movedTo ? $"moved {movedTo}" : $"unknown {serviceId}";
        }

        try
        {
            var answer = await service.Workload.HandleAsync(Encoding.UTF8.GetBytes(request), cancellationToken);
            return "ok " + Escape(Encoding.UTF8.GetString(answer));
        }
        catch (Exception ex) when (ex is WasmWorkloadMovedException or ObjectDisposedException)
        {
            return engine.MovedTo(serviceId) is { } movedTo ? $"moved {movedTo}" : $"unknown {serviceId}";
        }
        catch (WasmWorkloadFaultedException ex)
        {
            return "error " + Escape(ex.Message);
        }
    }

    public static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);

    public ValueTask DisposeAsync() => _accept?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task ServeAsync(TcpClient client, CancellationToken ct)
    {
        using var _ = client;
        try
        {
            client.NoDelay = true;
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: false, bufferSize: 16 * 1024, leaveOpen: true);
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false), bufferSize: 16 * 1024, leaveOpen: true) { NewLine = "\n", AutoFlush = true };
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                var answer = line.Length > MaxLineBytes ? "error request line too long" : await AnswerAsync(line, ct);
                await writer.WriteLineAsync(answer.AsMemory(), ct);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            LogConnectionEnded(logger, ex.Message);
        }
    }

    [LoggerMessage(EventId = 7400, Level = LogLevel.Information, Message = "Wasm request endpoint listening on {Endpoint}")]
    private static partial void LogListening(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(EventId = 7401, Level = LogLevel.Debug, Message = "Wasm request connection ended: {Reason}")]
    private static partial void LogConnectionEnded(ILogger logger, string reason);

    [LoggerMessage(EventId = 7402, Level = LogLevel.Warning, Message = "Wasm request accept failed: {Reason}")]
    private static partial void LogAcceptFailed(ILogger logger, string reason);
}
