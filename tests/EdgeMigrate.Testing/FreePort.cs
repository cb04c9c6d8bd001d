using System.Net;
using System.Net.Sockets;

namespace EdgeMigrate.Testing;

/// <summary>Ports the OS hands out, so tests never collide on hard-coded ones.</summary>
public static class FreePort
{
    private static readonly HashSet<int> Issued = [];

    /// <summary>A port nothing listens on now and that this process has not handed out before.</summary>
    public static int Next()
    {
        lock (Issued)
        {
            while (true)
            {
                using var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                if (Issued.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
