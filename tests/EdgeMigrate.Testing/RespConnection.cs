using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace EdgeMigrate.Testing;

/// <summary>
/// A minimal Redis (RESP2) client over one socket: commands as arrays of bulk strings, replies read whole (simple
/// string, error, integer, bulk string, array). Enough for the migration tests' data checks and counter client; it
/// keeps one connection, so a broken connection is seen by the caller (as a real client would see it).
/// </summary>
public sealed class RespConnection(Socket socket) : IDisposable
{
    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>Sends one command and returns its reply (an error reply throws).</summary>
    public async Task<object?> CommandAsync(CancellationToken cancellationToken, params string[] args)
    {
        await _stream.WriteAsync(Encode(args), cancellationToken);
        return await ReadReplyAsync(cancellationToken);
    }

    /// <summary>Sends many commands at once and reads all replies (a pipeline).</summary>
    public async Task<IReadOnlyList<object?>> PipelineAsync(IReadOnlyList<string[]> commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        using (var batch = new MemoryStream())
        {
            foreach (var command in commands)
            {
                batch.Write(Encode(command));
            }

            await _stream.WriteAsync(batch.ToArray(), cancellationToken);
        }

        var replies = new List<object?>(commands.Count);
        for (var i = 0; i < commands.Count; i++)
        {
            replies.Add(await ReadReplyAsync(cancellationToken));
        }

        return replies;
    }

    public void Dispose() => _stream.Dispose();

    private static byte[] Encode(string[] args)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"*{args.Length}\r\n");
        foreach (var arg in args)
        {
            text.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(arg)}\r\n{arg}\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private async Task<object?> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var line = await ReadLineAsync(cancellationToken);
        var body = line[1..];
        switch (line[0])
        {
            case '+':
                return body;
            case '-':
                throw new InvalidOperationException($"redis: {body}");
            case ':':
                return long.Parse(body, CultureInfo.InvariantCulture);
            case '$':
                var length = int.Parse(body, CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }

                var data = await ReadExactAsync(length + 2, cancellationToken);
                return Encoding.UTF8.GetString(data, 0, length);
            case '*':
                var count = int.Parse(body, CultureInfo.InvariantCulture);
                var items = new List<object?>(Math.Max(count, 0));
                for (var i = 0; i < count; i++)
                {
                    items.Add(await ReadReplyAsync(cancellationToken));
                }

                return items;
            default:
                throw new InvalidDataException($"unexpected RESP reply '{line}'");
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var at = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (at > _start && _buffer[at - 1] == '\r')
            {
                var line = Encoding.UTF8.GetString(_buffer, _start, at - 1 - _start);
                _start = at + 1;
                return line;
            }

            await FillAsync(cancellationToken);
        }
    }

    private async Task<byte[]> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_start == _end)
            {
                await FillAsync(cancellationToken);
            }

            var n = Math.Min(count - copied, _end - _start);
            Array.Copy(_buffer, _start, result, copied, n);
            _start += n;
            copied += n;
        }

        return result;
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            throw new InvalidDataException("RESP reply line longer than the buffer");
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            throw new IOException("redis closed the connection");
        }

        _end += read;
    }
}
