using System.Net.Sockets;
using System.Text;

namespace Wafer.Gateway.Tests.Support;

/// <summary>
/// HTTP/1.1 written by hand on a socket, for what well-behaved clients never send: bodies cut short, stalled or
/// malformed, a connection reset mid-call, an answer never read.
/// </summary>
public sealed class RawClient : IDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly MemoryStream _received = new();

    private RawClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: false);
    }

    public static async Task<RawClient> ConnectAsync(Uri address)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(address.Host, address.Port);
        return new RawClient(socket);
    }

    /// <summary>A request head; with <paramref name="contentLength"/> null the body is chunked.</summary>
    public static string Head(string path, long? contentLength, string method = "POST") =>
        $"{method} {path} HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
        + (contentLength is { } length ? $"Content-Length: {length}\r\n" : "Transfer-Encoding: chunked\r\n") + "\r\n";

    /// <summary>One chunk of a chunked body.</summary>
    public static byte[] Chunk(ReadOnlySpan<byte> data) => [.. Encoding.ASCII.GetBytes($"{data.Length:x}\r\n"), .. data, .. "\r\n"u8];

    public async Task SendAsync(string text) => await SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Sends in the background, ignoring a connection the server closes meanwhile (it may answer early).</summary>
    public Task SendQuietlyAsync(params byte[][] parts) => Task.Run(async () =>
    {
        try
        {
            foreach (var part in parts)
            {
                await _stream.WriteAsync(part);
            }
        }
        catch (IOException)
        {
        }
    });

    /// <summary>Reads until the head of the answer is in; returns its status code.</summary>
    public async Task<int> ReadStatusAsync(TimeSpan? within = null)
    {
        using var timeout = new CancellationTokenSource(within ?? TimeSpan.FromSeconds(20));
        var buffer = new byte[16 * 1024];
        while (HeadEnd() < 0)
        {
            var read = await _stream.ReadAsync(buffer, timeout.Token);
            Assert.True(read > 0, $"the connection closed before an answer; got: {Received}");
            _received.Write(buffer, 0, read);
        }

        var statusLine = Received[..Received.IndexOf("\r\n", StringComparison.Ordinal)];
        return int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Reads the rest of the answer until the server closes the connection or <paramref name="within"/> passes.</summary>
    public async Task<string> ReadRestAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await _stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                _received.Write(buffer, 0, read);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
        }

        return Received;
    }

    /// <summary>Everything received so far.</summary>
    public string Received => Encoding.UTF8.GetString(_received.GetBuffer(), 0, (int)_received.Length);

    /// <summary>Resets the connection (RST), as a client killed mid-request.</summary>
    public void Reset() => _socket.Close(0);

    private int HeadEnd() => Received.IndexOf("\r\n\r\n", StringComparison.Ordinal);

    public void Dispose()
    {
        _stream.Dispose();
        _socket.Dispose();
        _received.Dispose();
    }
}
