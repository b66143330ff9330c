using System.Net.Sockets;

namespace Wafer.Gateway.Forwarding;

/// <summary>Tells a request that was never sent (safe to send elsewhere) from one that may have reached the runtime.</summary>
internal static class ConnectionFailures
{
    /// <summary>
    /// True when the connection was refused: nothing was sent, so another replica may take the request. Any other
    /// failure (reset, timeout) may come after the runtime started the call, and is not retried.
    /// </summary>
    public static bool IsRefused(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                return true;
            }
        }

        return false;
    }
}
