using System.Net.Sockets;

namespace Wafer.Protocol.Calls;

/// <summary>
/// Socket settings both ends of a call-protocol connection use. The connection lives as long as the gateway and the
/// runtime do and may sit idle; TCP keep-alive finds a peer that vanished without closing (a host gone, a network
/// cut) in about a minute, so neither side keeps a dead connection or sends calls into it.
/// </summary>
public static class CallSockets
{
    public static void Configure(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        socket.NoDelay = true;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 30);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 10);
        socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
    }
}
