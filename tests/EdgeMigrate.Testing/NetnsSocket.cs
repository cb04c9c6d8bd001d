using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace EdgeMigrate.Testing;

/// <summary>
/// A TCP connection made from inside a network namespace, as a client living there would: a dedicated thread enters the
/// namespace (setns), creates and connects the socket, and ends. A socket belongs to the namespace it was created in for
/// its whole life, so the connection is then used from any thread, while this process stays in its own namespace.
/// </summary>
public static class NetnsSocket
{
    private const int CloneNewNet = 0x40000000;

    public static Task<Socket> ConnectAsync(string netns, IPEndPoint endpoint, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<Socket>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var ns = File.OpenHandle($"/run/netns/{netns}");
                if (SetNs((int)ns.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns into /run/netns/{netns} failed (errno {Marshal.GetLastPInvokeError()})");
                }

                var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    var connect = socket.BeginConnect(endpoint, null, null);
                    if (!connect.AsyncWaitHandle.WaitOne(timeout))
                    {
                        throw new TimeoutException($"connecting to {endpoint} in {netns} took longer than {timeout.TotalSeconds:0} s");
                    }

                    socket.EndConnect(connect);
                    done.SetResult(socket);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = $"netns {netns}",
        };
        thread.Start();
        return done.Task;
    }

    // DllImport rather than LibraryImport: the generated stub needs unsafe code, this one call does not.
#pragma warning disable SYSLIB1054
    /// <summary>Runs <paramref name="create"/> on a thread inside <paramref name="netns"/>: sockets it opens (a listener too) belong to that namespace.</summary>
    public static Task<T> InNamespaceAsync<T>(string netns, Func<T> create)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var ns = File.OpenHandle($"/run/netns/{netns}");
                if (SetNs((int)ns.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw new InvalidOperationException($"setns into /run/netns/{netns} failed (errno {Marshal.GetLastPInvokeError()})");
                }

                done.SetResult(create());
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = $"netns {netns}",
        };
        thread.Start();
        return done.Task;
    }

    [DllImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static extern int SetNs(int fd, int nstype);
#pragma warning restore SYSLIB1054
}
