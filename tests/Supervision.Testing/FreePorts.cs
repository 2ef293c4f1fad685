using System.Net;
using System.Net.Sockets;

namespace Supervision.Testing;

public static class FreePorts
{
    /// <summary>A loopback port free right now; tests bind only to 127.0.0.1.</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
