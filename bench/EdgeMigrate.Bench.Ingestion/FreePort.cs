using System.Net;
using System.Net.Sockets;

namespace EdgeMigrate.Bench.Ingestion;

/// <summary>Loopback ports the OS hands out, so the harness never collides with a running silo or broker.</summary>
internal static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
