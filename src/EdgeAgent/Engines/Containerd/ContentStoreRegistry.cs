using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using CdContent = EdgeMigrate.EdgeAgent.Engines.Containerd.Api.Content;

namespace EdgeMigrate.EdgeAgent.Engines.Containerd;

/// <summary>
/// A read-only OCI distribution endpoint on 127.0.0.1 that answers <c>GET/HEAD /v2/NAME/manifests/DIGEST</c> and
/// <c>/v2/NAME/blobs/DIGEST</c> from containerd's own content store, only while one restore runs. Why: containerd 2.1's
/// CRI restore always "pulls" the checkpoint's base image (<c>rootfsImageRef</c> in config.dump), even when the image is
/// local, and an image imported without a registry has no reference it can pull. Pointed at
/// <c>localhost:PORT/NAME@DIGEST</c>, the pull is one HEAD of the manifest (every blob is already there). containerd uses
/// plain HTTP for localhost; it must run in containerd's network namespace (the agent does: same netns, or hostNetwork
/// on K3s). By digest only: tags are not served.
/// </summary>
public sealed partial class ContentStoreRegistry : IAsyncDisposable
{
    private readonly ContainerdConnection _containerd;
    private readonly ILogger _logger;
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _requests;

    private ContentStoreRegistry(ContainerdConnection containerd, ILogger logger)
    {
        _containerd = containerd;
        _logger = logger;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = AcceptAsync();
    }

    public int Port { get; }

    public int Requests => _requests;

    /// <summary>Listens on a free loopback port until disposed.</summary>
    public static ContentStoreRegistry Start(ContainerdConnection containerd, ILogger logger) => new(containerd, logger);

    /// <summary>The reference containerd pulls <paramref name="imageName"/> by: this endpoint, the image's repository path, the manifest digest.</summary>
    public string ReferenceOf(string imageName, string digest) => $"localhost:{Port.ToString(CultureInfo.InvariantCulture)}/{RepositoryOf(imageName)}@{digest}";

    /// <summary><c>docker.io/edgemigrate/redis:test</c> → <c>edgemigrate/redis</c> (no registry host, tag or digest).</summary>
    public static string RepositoryOf(string imageName)
    {
        ArgumentNullException.ThrowIfNull(imageName);
        var name = imageName.Split('@')[0];
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && (name[..slash].Contains('.', StringComparison.Ordinal) || name[..slash].Contains(':', StringComparison.Ordinal) || name[..slash] == "localhost"))
        {
            name = name[(slash + 1)..];
        }

        var colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _ = Task.Run(() => ServeAsync(client), CancellationToken.None);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            Interlocked.Increment(ref _requests);
            var stream = client.GetStream();
            string method = "?", path = "?";
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(60));
                var ct = timeout.Token;
                (method, path) = await ReadRequestAsync(stream, ct);
                await AnswerAsync(stream, method, path, ct);
                LogServed(_logger, method, path);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or RpcException or InvalidDataException)
            {
                LogFailed(_logger, method, path, ex.Message);
            }
        }
    }

    private async Task AnswerAsync(NetworkStream stream, string method, string path, CancellationToken ct)
    {
        if (method is not ("GET" or "HEAD"))
        {
            await WriteHeadAsync(stream, 405, "Method Not Allowed", "text/plain", 0, null, ct);
            return;
        }

        if (path is "/v2/" or "/v2")
        {
            await WriteHeadAsync(stream, 200, "OK", "application/json", 2, null, ct);
            if (method == "GET")
            {
                await stream.WriteAsync("{}"u8.ToArray(), ct);
            }

            return;
        }

        // /v2/<name>/(manifests|blobs)/sha256:<64 hex>
        var parts = path.Split('/');
        var kind = parts.Length >= 5 ? parts[^2] : string.Empty;
        var digest = parts[^1];
        if (kind is not ("manifests" or "blobs") || !digest.StartsWith("sha256:", StringComparison.Ordinal) || digest.Length != 71 || !digest[7..].All(char.IsAsciiHexDigitLower))
        {
            await WriteHeadAsync(stream, 404, "Not Found", "text/plain", 0, null, ct);
            return;
        }

        CdContent.Info info;
        try
        {
            info = (await _containerd.Content.InfoAsync(new CdContent.InfoRequest { Digest = digest }, _containerd.Native(ct))).Info;
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.NotFound)
        {
            await WriteHeadAsync(stream, 404, "Not Found", "text/plain", 0, null, ct);
            return;
        }

        byte[]? manifest = null;
        var mediaType = "application/octet-stream";
        if (kind == "manifests")
        {
            manifest = await ReadAllAsync(digest, ct);
            mediaType = (string?)JsonNode.Parse(manifest)?["mediaType"] ?? "application/vnd.oci.image.manifest.v1+json";
        }

        await WriteHeadAsync(stream, 200, "OK", mediaType, info.Size, digest, ct);
        if (method == "HEAD")
        {
            return;
        }

        if (manifest is not null)
        {
            await stream.WriteAsync(manifest, ct);
            return;
        }

        using var read = _containerd.Content.Read(new CdContent.ReadContentRequest { Digest = digest }, _containerd.Native(ct));
        await foreach (var chunk in read.ResponseStream.ReadAllAsync(ct))
        {
            await stream.WriteAsync(chunk.Data.Memory, ct);
        }
    }

    private async Task<byte[]> ReadAllAsync(string digest, CancellationToken ct)
    {
        using var read = _containerd.Content.Read(new CdContent.ReadContentRequest { Digest = digest }, _containerd.Native(ct));
        using var buffer = new MemoryStream();
        await foreach (var chunk in read.ResponseStream.ReadAllAsync(ct))
        {
            chunk.Data.WriteTo(buffer);
        }

        return buffer.ToArray();
    }

    private static async Task<(string Method, string Path)> ReadRequestAsync(NetworkStream stream, CancellationToken ct)
    {
        // Request line and headers only (GET/HEAD have no body); 8 KiB is plenty for a registry client.
        var buffer = new byte[8192];
        var length = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0)
            {
                throw new InvalidDataException("connection closed before the request ended");
            }

            length += read;
            var text = Encoding.ASCII.GetString(buffer, 0, length);
            if (text.Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var line = text[..text.IndexOf("\r\n", StringComparison.Ordinal)].Split(' ');
                return line.Length >= 2 ? (line[0], line[1].Split('?')[0]) : throw new InvalidDataException("bad request line");
            }

            if (length == buffer.Length)
            {
                throw new InvalidDataException("request headers too long");
            }
        }
    }

    private static Task WriteHeadAsync(NetworkStream stream, int status, string reason, string contentType, long length, string? digest, CancellationToken ct)
    {
        var head = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} {reason}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Type: {contentType}\r\n")
            .Append(CultureInfo.InvariantCulture, $"Content-Length: {length}\r\n")
            .Append("Docker-Distribution-API-Version: registry/2.0\r\n");
        if (digest is not null)
        {
            head.Append(CultureInfo.InvariantCulture, $"Docker-Content-Digest: {digest}\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        return stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct).AsTask();
    }

    [LoggerMessage(EventId = 8300, Level = LogLevel.Debug, Message = "Content-store registry: {Method} {Path}")]
    private static partial void LogServed(ILogger logger, string method, string path);

    [LoggerMessage(EventId = 8301, Level = LogLevel.Warning, Message = "Content-store registry: {Method} {Path} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string method, string path, string reason);
}
