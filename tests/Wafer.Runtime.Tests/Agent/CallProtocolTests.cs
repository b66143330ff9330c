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
using Wafer.Protocol.Security;
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

    private const string Token = "call-port-test-token";

    private static async Task<(AgentHarness Fleet, Uri H2c)> StartAsync(string? token = null, Action<Wafer.Runtime.Hosting.RuntimeOptions>? configure = null)
    {
        var fleet = await AgentHarness.StartAsync(o =>
        {
            o.ApiToken = token;
            o.Agent.ControlToken = token; // what the runtime would take from --token, so the fake orchestrator signs with it
            configure?.Invoke(o);
        });
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
    [Trait("Timing", "Sensitive")]
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

    [Fact]
    public async Task WithToken_RightCredential_Served()
    {
        var (fleet, h2c) = await StartAsync(Token);
        await using var _ = fleet;
        using var client = await CallClient.ConnectAsync(h2c, FleetKeys.CallPort(Token));

        Assert.Equal(200, (await client.CallAsync("echo", "hello", "")).Status);
    }

    [Theory]
    [InlineData("none")]
    [InlineData("wrong token")]
    [InlineData("replayed")]
    [InlineData("garbage")]
    public async Task WithToken_NoOrWrongCredential_RefusedClosedAndNothingRun(string credential)
    {
        var (fleet, h2c) = await StartAsync(Token);
        await using var _ = fleet;
        var calls = new ArrayBufferWriter<byte>();
        for (uint id = 1; id <= 20; id++)
        {
            CallFrames.WriteCall(calls, id, "echo", "hello", default); // sent right behind the proof, as a hasty peer would
        }

        byte[]? proof = credential switch
        {
            "replayed" => CallHandshake.Prove(FleetKeys.CallPort(Token), CallHandshake.NewChallenge()), // right key, another connection's challenge
            "garbage" => new byte[CallHandshake.ProofBytes],
            _ => null,
        };
        var (client, verdict, reason) = await CallClient.TryConnectAsync(h2c, credential == "wrong token" ? FleetKeys.CallPort("not-" + Token) : null, proof, calls.WrittenSpan.ToArray());
        using var refused = client;

        Assert.Equal(CallHandshake.Refused, verdict);
        Assert.Contains("credential", reason, StringComparison.Ordinal);
        using var timeout = new CancellationTokenSource(Deadline);
        Assert.Equal(0, await client.Stream.ReadAsync(new byte[1], timeout.Token)); // closed by the runtime, nothing answered
        Assert.Equal(0L, fleet.Runtime.Services.GetRequiredService<Wafer.Runtime.Invocation.CallCounters>().Completed);
        var (http, _) = await fleet.Runtime.PostJsonAsync("/functions/echo/hello", "");
        Assert.Equal(System.Net.HttpStatusCode.OK, http.StatusCode); // HTTP is as open as ever; only the call port is guarded
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task PeerThatNeverReadsAnswers_StopsBeingRead_OthersStillServed()
    {
        const int PerConnection = 8;
        var (fleet, h2c) = await StartAsync(configure: o => o.MaxCallsPerConnection = PerConnection);
        await using var _ = fleet;
        await fleet.RunAsync("m-2", "hello", "hello");
        using var flooder = await CallClient.ConnectAsync(h2c);
        var counters = fleet.Runtime.Services.GetRequiredService<Wafer.Runtime.Invocation.CallCounters>();

        // 1,000 calls whose answers are 256 KiB each: far more than the kernel's socket buffers hold unread.
        var body = Encoding.UTF8.GetBytes($$"""{"name":"{{new string('x', 256 * 1024)}}"}""");
        using var stop = new CancellationTokenSource();
        var flooding = Task.Run(async () =>
        {
            var frame = new ArrayBufferWriter<byte>();
            for (uint id = 1; id <= 1000 && !stop.IsCancellationRequested; id++)
            {
                frame.Clear();
                CallFrames.WriteCall(frame, id, "hello", "greet", body);
                await flooder.Stream.WriteAsync(frame.WrittenMemory, stop.Token);
            }
        });

        // Once the socket stalls, the count of calls run stops growing, far below what was sent.
        long ran;
        var settled = Stopwatch.StartNew();
        do
        {
            ran = counters.Completed;
            await Task.Delay(500);
        }
        while (counters.Completed != ran && settled.Elapsed < TimeSpan.FromSeconds(60));

        Assert.False(flooding.IsCompleted, "the runtime read every call of a peer that reads no answer");
        Assert.True(ran < 200, $"{ran} calls ran for a peer that reads no answer (at most {PerConnection} unanswered, plus what socket buffers hold)");
        using var other = await CallClient.ConnectAsync(h2c);
        var clock = Stopwatch.StartNew();
        Assert.Equal(200, (await other.CallAsync("echo", "hello", "")).Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"another gateway waited {clock.Elapsed}");
        await stop.CancelAsync();
        flooder.Socket.Close();
        await Assert.ThrowsAnyAsync<Exception>(() => flooding);
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

        /// <summary>Connects, exchanges preambles and answers the challenge with <paramref name="key"/> (none: an empty proof).</summary>
        public static async Task<CallClient> ConnectAsync(Uri h2c, byte[]? key = null)
        {
            var (client, verdict, reason) = await TryConnectAsync(h2c, key);
            Assert.True(verdict == CallHandshake.Accepted, reason);
            return client;
        }

        /// <summary>As <see cref="ConnectAsync"/>, but returns the verdict instead of asserting it; <paramref name="proof"/> overrides the proof sent.</summary>
        public static async Task<(CallClient Client, int Verdict, string Reason)> TryConnectAsync(Uri h2c, byte[]? key, byte[]? proof = null, byte[]? sentWithProof = null)
        {
            var socket = new TcpClient { NoDelay = true };
            await socket.ConnectAsync(h2c.Host, h2c.Port);
            var client = new CallClient(socket);
            await client.Stream.WriteAsync(CallFrames.Preamble.ToArray());
            var preamble = new byte[CallFrames.Preamble.Length];
            await client.Stream.ReadExactlyAsync(preamble);
            Assert.Equal(CallFrames.Preamble.ToArray(), preamble);
            var (challengeId, challenge) = await client.ReadFrameAsync();
            Assert.Equal((CallFrames.GoAwayId, CallHandshake.ChallengeBytes), (challengeId, challenge.Length));
            var frames = new ArrayBufferWriter<byte>();
            CallHandshake.Write(frames, proof ?? CallHandshake.Prove(key, challenge));
            frames.Write(sentWithProof);
            await client.Stream.WriteAsync(frames.WrittenMemory);
            var (_, verdict) = await client.ReadFrameAsync();
            var (status, reason) = CallHandshake.ReadVerdict(verdict);
            return (client, status, reason);
        }

        private async Task<(uint Id, byte[] Payload)> ReadFrameAsync()
        {
            using var timeout = new CancellationTokenSource(Deadline);
            var header = new byte[CallFrames.HeaderBytes];
            await Stream.ReadExactlyAsync(header, timeout.Token);
            var rest = new byte[BinaryPrimitives.ReadInt32BigEndian(header) - 4];
            await Stream.ReadExactlyAsync(rest, timeout.Token);
            return (BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)), rest);
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

            var (status, _, callId, contentType, body) = CallFrames.ReadAnswer(payload);
            return (id, status, callId, contentType, Encoding.UTF8.GetString(body.ToArray()));
        }

        public void Dispose() => Socket.Dispose();
    }
}
