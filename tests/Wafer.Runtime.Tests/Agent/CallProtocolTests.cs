using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Wafer.Protocol.Calls;
using Wafer.Protocol.V1;
using Wafer.Runtime.Calls;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>
/// The call protocol on a fleet runtime's h2c port (docs/call-protocol.md, Runtime/Calls), spoken by a plain socket
/// here: answers match the HTTP endpoint's, many calls share a connection, a broken stream is closed, and a stopping
/// runtime says goodbye, answers late calls unrun and does not wait for the gateway.
/// </summary>
public sealed class CallProtocolTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private static async Task<(AgentHarness Fleet, Uri H2c)> StartAsync()
    {
        var fleet = await AgentHarness.StartAsync();
        await fleet.RunAsync("m-1");
        var announce = (await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Announce)).Body<AnnounceBody>();
        return (fleet, new Uri(announce.H2cUrl!));
    }

    [Fact]
    public async Task Calls_AnsweredAsOverHttp_ResultsAndProblems()
    {
        var (fleet, h2c) = await StartAsync();
        await using var _ = fleet;
        using var client = await CallClient.ConnectAsync(h2c);

        foreach (var (plugin, function, body) in new[] { ("echo", "echo", """{"value":"hé"}"""), ("echo", "hello", ""), ("echo", "missing", ""), ("nope", "hello", ""), ("echo", "echo", """{"value":1}"""), ("echo", "echo", "{") })
        {
            var (status, callId, contentType, answer) = await client.CallAsync(plugin, function, body);
            var (http, json) = await fleet.Runtime.PostJsonAsync($"/functions/{plugin}/{function}", body);

            Assert.Equal((int)http.StatusCode, status);
            Assert.Equal(http.Content.Headers.ContentType?.ToString(), contentType);
            Assert.Equal(http.Headers.Contains("X-Wafer-Call-Id"), callId is not null);
            using var document = JsonDocument.Parse(answer);
            if (status == 200)
            {
                Assert.Equal(json.GetRawText(), document.RootElement.GetRawText());
                Assert.NotEqual(http.Headers.GetValues("X-Wafer-Call-Id").Single(), callId); // a call of its own
            }
            else
            {
                Assert.Equal((json.GetProperty("cause").GetString(), json.GetProperty("detail").GetString()),
                    (document.RootElement.GetProperty("cause").GetString(), document.RootElement.GetProperty("detail").GetString()));
            }
        }
    }

    [Fact]
    public async Task ManyCallsSentAtOnce_EachAnsweredUnderItsOwnId()
    {
        var (fleet, h2c) = await StartAsync();
        await using var _ = fleet;
        using var client = await CallClient.ConnectAsync(h2c);

        var frames = new ArrayBufferWriter<byte>();
        for (uint id = 1; id <= 200; id++)
        {
            CallFrames.WriteCall(frames, id, "echo", "hello", default);
        }

        await client.Stream.WriteAsync(frames.WrittenMemory);
        var answers = new Dictionary<uint, (string? CallId, string Body)>();
        for (var i = 0; i < 200; i++)
        {
            var (id, status, callId, _, body) = await client.ReadAnswerAsync();
            Assert.True(status == 200, body);
            answers.Add(id, (callId, body));
        }

        var (_, expected) = await fleet.Runtime.PostJsonAsync("/functions/echo/hello", "");
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (uint)i), answers.Keys.Order());
        Assert.All(answers.Values, a => Assert.Equal(expected.GetRawText(), a.Body));
        Assert.Equal(200, answers.Values.Select(a => a.CallId).Distinct().Count()); // 200 calls ran
    }

    [Theory]
    [InlineData(3)]
    [InlineData(CallFrames.MaxCallFrameBytes + 1)]
    public async Task BrokenFrame_ConnectionClosed_OthersStillServed(int length)
    {
        var (fleet, h2c) = await StartAsync();
        await using var _ = fleet;
        using var broken = await CallClient.ConnectAsync(h2c);
        using var other = await CallClient.ConnectAsync(h2c);

        var header = new byte[CallFrames.HeaderBytes];
        BinaryPrimitives.WriteInt32BigEndian(header, length);
        await broken.Stream.WriteAsync(header);

        using var timeout = new CancellationTokenSource(Deadline);
        Assert.Equal(0, await broken.Stream.ReadAsync(new byte[1], timeout.Token)); // closed by the runtime
        Assert.Equal(200, (await other.CallAsync("echo", "hello", "")).Status);
    }

    [Fact]
    public async Task NotThePreamble_LeftToHttp2()
    {
        var (fleet, h2c) = await StartAsync();
        await using var _ = fleet;
        using var socket = new TcpClient();
        await socket.ConnectAsync(h2c.Host, h2c.Port);
        var stream = socket.GetStream();

        await stream.WriteAsync("CALL * WAFER/9\r\n\r\nGW\r\n\r\n"u8.ToArray()); // close to the preamble, but not it
        var answer = new byte[64];
        var read = await stream.ReadAsync(answer);

        Assert.True(read >= 9 && answer[3] is 0x4 or 0x7, $"expected an HTTP/2 SETTINGS or GOAWAY frame, got {read} bytes"); // HTTP/2 answered
    }

    [Fact]
    public async Task SilentConnection_HandedToHttp2AfterAWhile_NotHeldForAPreamble()
    {
        // A listener of its own with a short silence window (the runtime's is CallProtocolListener.DecideWithin, 10 s).
        var window = TimeSpan.FromMilliseconds(200);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0, listener =>
        {
            listener.Protocols = HttpProtocols.Http2;
            listener.UseCallProtocol(window);
        }));
        await using var app = builder.Build();
        await app.StartAsync();
        var h2c = new Uri(app.Urls.Single());
        using var socket = new TcpClient();
        await socket.ConnectAsync(h2c.Host, h2c.Port);
        var stream = socket.GetStream();

        await Task.Delay(window * 3);
        await stream.WriteAsync(CallFrames.Preamble.ToArray()); // too late: HTTP/2 has the connection
        var answer = new byte[64];
        using var timeout = new CancellationTokenSource(Deadline);
        var read = await stream.ReadAtLeastAsync(answer, 9, throwOnEndOfStream: false, timeout.Token);

        Assert.False(answer.AsSpan(0, read).StartsWith(CallFrames.Preamble), "answered as the call protocol");
        Assert.True(read >= 9 && answer[3] is 0x4 or 0x7, $"expected an HTTP/2 SETTINGS or GOAWAY frame, got {read} bytes"); // HTTP/2 answered
    }

    [Fact]
    public async Task Stopping_SaysGoAway_AnswersLateCallsUnrun_AndEndsWhenTheGatewayCloses()
    {
        var (fleet, h2c) = await StartAsync();
        await using var _ = fleet;
        using var client = await CallClient.ConnectAsync(h2c);
        Assert.Equal(200, (await client.CallAsync("echo", "hello", "")).Status);

        var clock = Stopwatch.StartNew();
        var stopping = fleet.StopRuntimeAsync();
        var (id, _, _, _, _) = await client.ReadAnswerAsync();
        Assert.Equal(CallFrames.GoAwayId, id);

        var late = await client.CallAsync("echo", "hello", "");
        using var problem = JsonDocument.Parse(late.Body);
        Assert.Equal((503, "unavailable"), (late.Status, problem.RootElement.GetProperty("cause").GetString()));
        Assert.Contains("did not run the call", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        client.Socket.Client.Shutdown(SocketShutdown.Send);
        using var timeout = new CancellationTokenSource(Deadline);
        Assert.Equal(0, await client.Stream.ReadAsync(new byte[1], timeout.Token)); // the runtime closed its side too
        await stopping.WaitAsync(Deadline);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {clock.Elapsed}");
    }

    /// <summary>A gateway's side of the protocol, one call at a time unless frames are written by hand.</summary>
    private sealed class CallClient : IDisposable
    {
        private uint _lastId;

        private CallClient(TcpClient socket)
        {
            Socket = socket;
            Stream = socket.GetStream();
        }

        public TcpClient Socket { get; }

        public NetworkStream Stream { get; }

        public static async Task<CallClient> ConnectAsync(Uri h2c)
        {
            var socket = new TcpClient { NoDelay = true };
            await socket.ConnectAsync(h2c.Host, h2c.Port);
            var client = new CallClient(socket);
            await client.Stream.WriteAsync(CallFrames.Preamble.ToArray());
            var preamble = new byte[CallFrames.Preamble.Length];
            await client.Stream.ReadExactlyAsync(preamble);
            Assert.Equal(CallFrames.Preamble.ToArray(), preamble);
            return client;
        }

        public async Task<(int Status, string? CallId, string ContentType, string Body)> CallAsync(string plugin, string function, string body)
        {
            var frame = new ArrayBufferWriter<byte>();
            var id = ++_lastId;
            CallFrames.WriteCall(frame, id, plugin, function, Encoding.UTF8.GetBytes(body));
            await Stream.WriteAsync(frame.WrittenMemory);
            var (answered, status, callId, contentType, answer) = await ReadAnswerAsync();
            Assert.Equal(id, answered);
            return (status, callId, contentType, answer);
        }

        public async Task<(uint Id, int Status, string? CallId, string ContentType, string Body)> ReadAnswerAsync()
        {
            using var timeout = new CancellationTokenSource(Deadline);
            var header = new byte[CallFrames.HeaderBytes];
            await Stream.ReadExactlyAsync(header, timeout.Token);
            var length = BinaryPrimitives.ReadInt32BigEndian(header);
            var rest = new byte[length - 4];
            await Stream.ReadExactlyAsync(rest, timeout.Token);
            var whole = new ReadOnlySequence<byte>([.. header, .. rest]);
            Assert.True(CallFrames.TryRead(ref whole, CallFrames.MaxFrameBytes, out var id, out var payload));
            if (id == CallFrames.GoAwayId)
            {
                return (id, 0, null, "", "");
            }

            var (status, callId, contentType, body) = CallFrames.ReadAnswer(payload);
            return (id, status, callId, contentType, Encoding.UTF8.GetString(body.ToArray()));
        }

        public void Dispose() => Socket.Dispose();
    }
}
