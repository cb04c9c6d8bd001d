using System.Net;
using System.Net.Sockets;

namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>
/// A listening socket and its accept loop, shared by the agent's TCP servers (transfer, wasm requests): each connection
/// is served on its own task; a failed accept is reported and retried after a pause, so a transient error (e.g. out of
/// file handles) neither stops the server nor spins; disposing stops the listener and waits for the loop.
/// </summary>
public sealed class TcpAcceptLoop : IAsyncDisposable
{
    /// <summary>Pause after a failed accept.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly CancellationTokenSource _stopping = new();
    private readonly TcpListener _listener;
    private readonly Task _loop;
    private int _disposed;

    private TcpAcceptLoop(IPEndPoint listen, Func<TcpClient, CancellationToken, Task> serve, Action<string> acceptFailed)
    {
        _listener = new TcpListener(listen);
        _listener.Start();
        BoundEndpoint = (IPEndPoint)_listener.LocalEndpoint;
        _loop = RunAsync(serve, acceptFailed, _stopping.Token);
    }

    /// <summary>Where the server listens (the real port when configured with port 0).</summary>
    public IPEndPoint BoundEndpoint { get; }

    /// <summary>Binds <paramref name="listen"/> (throws when it cannot) and starts accepting.</summary>
    public static TcpAcceptLoop Start(IPEndPoint listen, Func<TcpClient, CancellationToken, Task> serve, Action<string> acceptFailed)
    {
        ArgumentNullException.ThrowIfNull(listen);
        ArgumentNullException.ThrowIfNull(serve);
        ArgumentNullException.ThrowIfNull(acceptFailed);
        return new TcpAcceptLoop(listen, serve, acceptFailed);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(Func<TcpClient, CancellationToken, Task> serve, Action<string> acceptFailed, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException || (ex is SocketException && cancellationToken.IsCancellationRequested))
            {
                return;
            }
            catch (SocketException ex)
            {
                acceptFailed(ex.Message);
                try
                {
                    await Task.Delay(RetryDelay, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            _ = serve(client, cancellationToken);
        }
    }
}
