using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeMigrate.Bench.Migration;

/// <summary>
/// A device sending requests to a wasm service at a fixed rate, one outstanding at a time (the agents' line protocol,
/// docs/edge-agent.md: <c>SERVICE REQUEST</c> → <c>ok ANSWER</c> | <c>moved NODE</c> | <c>unknown SERVICE</c>). It
/// follows <c>moved</c> to the new node and asks again, so no request is lost. A request the service was too slow
/// for is not made up later (the timer coalesces missed ticks), so a pause does not end in a burst. memhog answers
/// <c>req=N …</c> with N its own request count: every answer must be exactly one more than the last.
/// </summary>
public sealed class WasmRequestClient(string serviceId, IReadOnlyList<(string NodeId, IPEndPoint Endpoint)> nodes, double requestsPerSecond)
{
    public async Task RunAsync(ClientProbe probe, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / requestsPerSecond));
        var node = 0;
        long sent = 0;
        long last = -1;
        Connection? connection = null;
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                var request = string.Create(CultureInfo.InvariantCulture, $"{serviceId} tick {sent++}");
                while (true)
                {
                    string line;
                    try
                    {
                        connection ??= await Connection.OpenAsync(nodes[node].Endpoint, ct);
                        line = await connection.AskAsync(request, ct);
                    }
                    catch (Exception ex) when (ex is IOException or SocketException)
                    {
                        // Not up yet, or gone: ask again shortly (the time counts as a pause).
                        connection?.Dispose();
                        connection = null;
                        await Task.Delay(50, ct);
                        continue;
                    }

                    if (line.StartsWith("ok ", StringComparison.Ordinal))
                    {
                        var count = RequestCount(line);
                        probe.Observe(node, count, last < 0 || count == last + 1 ? null : string.Create(CultureInfo.InvariantCulture, $"{nodes[node].NodeId} answered req={count} after req={last}"));
                        last = count;
                        break;
                    }

                    if (line.StartsWith("moved ", StringComparison.Ordinal))
                    {
                        node = IndexOf(line[6..].Trim());
                        connection?.Dispose();
                        connection = null;
                        continue;
                    }

                    if (line.StartsWith("unknown ", StringComparison.Ordinal))
                    {
                        // Not started yet (agent start-up), or between "restored" and the commit: ask again.
                        await Task.Delay(10, ct);
                        continue;
                    }

                    throw new InvalidOperationException($"{nodes[node].NodeId} answered '{line}' to '{request}'");
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private int IndexOf(string nodeId)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].NodeId == nodeId)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"{serviceId} moved to {nodeId}, which this client does not know");
    }

    private static long RequestCount(string line)
    {
        var start = line.IndexOf("req=", StringComparison.Ordinal) + 4;
        var end = line.IndexOf(' ', start);
        return start >= 4 && long.TryParse(line.AsSpan(start, (end < 0 ? line.Length : end) - start), CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new InvalidOperationException($"not a memhog answer: {line}");
    }

    private sealed class Connection(TcpClient tcp, StreamReader reader, StreamWriter writer) : IDisposable
    {
        public static async Task<Connection> OpenAsync(IPEndPoint endpoint, CancellationToken ct)
        {
            var tcp = new TcpClient { NoDelay = true };
            try
            {
                await tcp.ConnectAsync(endpoint, ct);
            }
            catch
            {
                tcp.Dispose();
                throw;
            }

            var stream = tcp.GetStream();
            return new Connection(tcp, new StreamReader(stream, new UTF8Encoding(false)), new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true });
        }

        public async Task<string> AskAsync(string request, CancellationToken ct)
        {
            await writer.WriteLineAsync(request.AsMemory(), ct);
            return await reader.ReadLineAsync(ct) ?? throw new IOException("the agent closed the connection");
        }

        public void Dispose()
        {
            writer.Dispose();
            reader.Dispose();
            tcp.Dispose();
        }
    }
}
