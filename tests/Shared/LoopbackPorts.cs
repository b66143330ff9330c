using System.Net;
using System.Net.Sockets;

namespace Wafer.Tests.Shared;

/// <summary>Ports on 127.0.0.1 for servers a test starts on a port it must name up front (a process's flags, a broker).</summary>
internal static class LoopbackPorts
{
    /// <summary>A port nothing listened on a moment ago: the system picks it for a listener that then lets it go.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
