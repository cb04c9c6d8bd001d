using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeMigrate.EdgeAgent.Tests.CrossIsa;

/// <summary>
/// A device-side client of the agents' wasm request endpoint (line protocol, see docs/edge-agent.md). It follows
/// the service: an answer <c>moved NODE</c> sends the same request again to that node, so no request is lost or
/// answered twice while the service migrates.
/// </summary>
public sealed class WasmLineClient(Func<string, IPEndPoint> endpointOf, string serviceId, string startNode) : IDisposable
{
    private TcpClient? _tcp;
    private StreamReader? _reader;
    private StreamWriter? _writer;

    public string Node { get; private set; } = startNode;

    /// <summary>How often a request was redirected by a "moved" answer.</summary>
    public int Redirects { get; private set; }

    /// <summary>Sends one request and returns the unescaped answer of the node that serves the service.</summary>
    public async Task<string> SendAsync(string request, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (_writer is null)
            {
                _tcp = new TcpClient { NoDelay = true };
                await _tcp.ConnectAsync(endpointOf(Node), ct);
                var stream = _tcp.GetStream();
                _reader = new StreamReader(stream, new UTF8Encoding(false));
                _writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
            }

            await _writer.WriteLineAsync($"{serviceId} {request}".AsMemory(), ct);
            var line = await _reader!.ReadLineAsync(ct) ?? throw new IOException($"{Node} closed the connection");
            if (line.StartsWith("ok ", StringComparison.Ordinal))
            {
                return Unescape(line[3..]);
            }

            if (line.StartsWith("moved ", StringComparison.Ordinal))
            {
                Node = line[6..];
                Redirects++;
                Close();
                continue;
            }

            if (line.StartsWith("unknown ", StringComparison.Ordinal))
            {
                // Between "restored" and the source's commit the service is on neither list for a moment.
                await Task.Delay(50, ct);
                continue;
            }

            throw new InvalidOperationException($"{Node} answered '{line}' to '{request}'");
        }

        throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"no node served {serviceId} for '{request}'"));
    }

    public static string Unescape(string text)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
                sb.Append(text[i] switch { 'n' => '\n', 'r' => '\r', _ => text[i] });
            }
            else
            {
                sb.Append(text[i]);
            }
        }

        return sb.ToString();
    }

    public void Dispose() => Close();

    private void Close()
    {
        _writer?.Dispose();
        _reader?.Dispose();
        _tcp?.Dispose();
        _writer = null;
        _reader = null;
        _tcp = null;
    }
}
