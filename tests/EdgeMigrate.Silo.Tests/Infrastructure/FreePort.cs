using System.Net;
using System.Net.Sockets;

namespace EdgeMigrate.Silo.Tests.Infrastructure;

/// <summary>Ports the OS hands out, so tests never collide on hard-coded ones.</summary>
public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
