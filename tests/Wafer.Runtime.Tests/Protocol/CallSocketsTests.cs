using System.Net.Sockets;
using Wafer.Protocol.Calls;

namespace Wafer.Runtime.Tests.Protocol;

/// <summary>Call-protocol sockets notice a vanished peer: keep-alive after 30 s idle, 3 probes 10 s apart, no Nagle delay.</summary>
public sealed class CallSocketsTests
{
    [Fact]
    public void Configure_SetsKeepAliveAndNoDelay()
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);

        CallSockets.Configure(socket);

        Assert.True(socket.NoDelay);
        Assert.NotEqual(0, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
        Assert.Equal(
            (30, 10, 3),
            ((int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime)!,
             (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval)!,
             (int)socket.GetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount)!));
    }
}
