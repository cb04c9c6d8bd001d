using System.Net.Sockets;

namespace EdgeMigrate.EdgeAgent.Transfer;

/// <summary>
/// The accept loop of the agent's TCP servers (transfer, wasm requests): each connection is served on its own task; a
/// failed accept is reported and retried after a pause, so a transient error (e.g. out of file handles) neither stops
/// the server nor spins; cancellation or a stopped listener ends the loop.
/// </summary>
public static class TcpAcceptLoop
{
    /// <summary>Pause after a failed accept.</summary>
    public static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(200);

    public static async Task RunAsync(TcpListener listener, Func<TcpClient, CancellationToken, Task> serve, Action<string> acceptFailed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(listener);
        ArgumentNullException.ThrowIfNull(serve);
        ArgumentNullException.ThrowIfNull(acceptFailed);
        while (!cancellationToken.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(cancellationToken);
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
