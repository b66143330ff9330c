using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Security;
using Wafer.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>
/// A real runtime process under hostile callers and guests (docs/security.md, "Limits"): endless loops do not starve
/// other callers or outlive their limit, a call-port peer that reads no answers cannot grow the runtime's memory, and
/// memory returns near its baseline after large modules come and go.
/// </summary>
[Trait("Category", "Fleet")]
public sealed class RuntimeLimitsTests
{
    private static readonly TimeSpan LoopLimit = TimeSpan.FromSeconds(2);

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task EndlessLoops_32AtOnce_GreetStaysFast_LoopsEndOnTime_ExcessTurnedAway()
    {
        await using var runtime = await LoneRuntime.StartAsync(
            new Dictionary<string, string?> { ["loop"] = """{"name":"loop","limits":{"timeoutMs":2000}}""", ["hello"] = null },
            "--maxConcurrentCalls", "24", "--maxConcurrentCallsPerFunction", "12");
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await runtime.PostAsync("/functions/greet", """{"name":"warm"}""")).Status);
        }

        using var loopClient = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { BaseAddress = runtime.Url, Timeout = TimeSpan.FromSeconds(60) };
        await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ => // 32 connections open beforehand: the clock below times the runtime, not connecting
        {
            using var warm = await loopClient.PostAsync("/functions/greet", new StringContent("""{"name":"warm"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }));
        var loops = Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            using var response = await loopClient.PostAsync("/functions/spin", new StringContent("{}", Encoding.UTF8, "application/json"));
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, clock.Elapsed, body, RetryAfter: response.Headers.RetryAfter?.Delta);
        })).ToArray();

        var greets = new List<TimeSpan>();
        while (!loops.All(l => l.IsCompleted))
        {
            var clock = Stopwatch.StartNew();
            var (status, body, _) = await runtime.PostAsync("/functions/greet", """{"name":"you"}""");
            greets.Add(clock.Elapsed);
            Assert.True(status == HttpStatusCode.OK, body);
        }

        var results = await Task.WhenAll(loops);
        var summary = string.Join("\n", results.OrderBy(r => r.Elapsed).Select(r => $"{(int)r.StatusCode} after {r.Elapsed.TotalMilliseconds:0} ms: {r.body[Math.Max(0, r.body.IndexOf("detail", StringComparison.Ordinal))..]}"));
        Assert.All(results, r =>
        {
            Assert.True(r.StatusCode is HttpStatusCode.GatewayTimeout or HttpStatusCode.ServiceUnavailable, $"{(int)r.StatusCode}: {r.body}");
            Assert.True(r.Elapsed < LoopLimit + TimeSpan.FromSeconds(4), $"a loop with a 2 s limit ended after {r.Elapsed}; all:\n{summary}"); // without execution slots: up to 21 s
        });
        Assert.Contains(results, r => r.StatusCode == HttpStatusCode.GatewayTimeout); // some ran, and were stopped at their limit
        var turnedAway = results.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToArray();
        Assert.NotEmpty(turnedAway);
        Assert.All(turnedAway, r =>
        {
            using var problem = JsonDocument.Parse(r.body);
            Assert.Equal("busy", problem.RootElement.GetProperty("cause").GetString());
            Assert.Contains("did not run", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
            Assert.Equal(TimeSpan.FromSeconds(1), r.RetryAfter);
        });

        greets.Sort();
        var p99 = greets[(int)Math.Ceiling(greets.Count * 0.99) - 1];
        Assert.True(greets.Count >= 10, $"only {greets.Count} greet calls while the loops ran");
        Assert.True(p99 < TimeSpan.FromSeconds(3), $"greet p99 {p99.TotalMilliseconds:0} ms over {greets.Count} calls while 32 loops ran"); // without execution slots: about 15 s
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task CallPort_PeerThatNeverReadsAnswers_MemoryStaysBounded_OthersServed()
    {
        await using var runtime = await LoneRuntime.StartAsync(new Dictionary<string, string?> { ["echo"] = null, ["hello"] = null });
        using (var warm = await CallPortClient.ConnectAsync(runtime.H2c, LoneRuntime.Token))
        {
            Assert.Equal(200, await warm.CallAsync("echo", "hello", "{}"));
        }

        var baseline = runtime.RssMb();
        using var flooder = await CallPortClient.ConnectAsync(runtime.H2c, LoneRuntime.Token);
        var body = Encoding.UTF8.GetBytes($$"""{"name":"{{new string('x', 128 * 1024)}}"}""");
        using var stop = new CancellationTokenSource();
        var sent = 0;
        var flooding = Task.Run(async () =>
        {
            // 4,000 calls of 128 KiB whose answers are as large: a gigabyte both ways if the runtime read them all.
            var frames = new ArrayBufferWriter<byte>();
            for (uint id = 1; id <= 4000 && !stop.IsCancellationRequested; id++)
            {
                frames.Clear();
                CallFrames.WriteCall(frames, id, "hello", "greet", body);
                await flooder.Stream.WriteAsync(frames.WrittenMemory, stop.Token);
                sent++;
            }
        });

        // Until the flood stalls (the runtime stopped reading) or ends, and a little longer.
        var peak = baseline;
        var lastSent = -1;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(90))
        {
            peak = Math.Max(peak, runtime.RssMb());
            if (flooding.IsCompleted || Volatile.Read(ref sent) == lastSent)
            {
                break;
            }

            lastSent = Volatile.Read(ref sent);
            await Task.Delay(1500);
        }

        using (var other = await CallPortClient.ConnectAsync(runtime.H2c, LoneRuntime.Token))
        {
            var served = Stopwatch.StartNew();
            Assert.Equal(200, await other.CallAsync("echo", "hello", "{}"));
            Assert.True(served.Elapsed < TimeSpan.FromSeconds(5), $"another gateway waited {served.Elapsed}");
        }

        Assert.Equal(HttpStatusCode.OK, (await runtime.PostAsync("/functions/echo/hello", "{}")).Status);
        for (var i = 0; i < 6; i++)
        {
            peak = Math.Max(peak, runtime.RssMb());
            await Task.Delay(250);
        }

        Assert.False(flooding.IsCompleted, $"the runtime read all {sent} calls of a peer that reads no answer");
        Assert.True(peak - baseline < 200, $"the runtime grew from {baseline} MB to {peak} MB for a peer that sent {sent} calls and read no answer");
        await stop.CancelAsync();
        flooder.Dispose();
        await Assert.ThrowsAnyAsync<Exception>(() => flooding);
    }

    [Fact]
    public async Task HostileLoads_LargeModulesLoopsAndBigMemory_MemoryReturnsNearBaseline()
    {
        await using var runtime = await LoneRuntime.StartAsync(new Dictionary<string, string?>
        {
            ["echo"] = null,
            ["loop"] = """{"name":"loop","limits":{"timeoutMs":500}}""",
            ["grow"] = """{"name":"grow","limits":{"memoryMb":512}}""",
        });
        await WarmAsync(runtime);
        var baseline = runtime.RssMb();

        for (var round = 0; round < 2; round++)
        {
            // a module near the default limit of functions, whose metadata declares 2,000 of them
            var name = "many" + round;
            using (var form = new MultipartFormDataContent())
            {
                var wasm = new ByteArrayContent(GeneratedModule.Build(40_000 + round, 2_000));
                wasm.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
                form.Add(wasm, "plugin", name + ".wasm");
                form.Add(new StringContent(name), "name");
                using var upload = await runtime.Client.PostAsync("/api/plugins", form);
                Assert.True(upload.IsSuccessStatusCode, await upload.Content.ReadAsStringAsync());
            }

            Assert.Equal(HttpStatusCode.OK, (await runtime.PostAsync($"/functions/{name}/f1999", "{}")).Status);
            Assert.Equal(HttpStatusCode.OK, (await runtime.PostAsync("/graphql", """{"query":"{ f1999 }"}""")).Status);
            using var removed = await runtime.Client.DeleteAsync("/api/plugins/" + name);
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => runtime.PostAsync("/functions/spin", "{}")));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => runtime.PostAsync("/functions/hog", "{}")));
        await WarmAsync(runtime);

        long now = 0;
        var bound = baseline * 3 / 2 + 64;
        await Eventually.TrueAsync(() => Task.FromResult((now = runtime.RssMb()) <= bound),
            $"the runtime's memory returns near its baseline of {baseline} MB (at most {bound} MB)", TimeSpan.FromSeconds(30));
    }

    private static async Task WarmAsync(LoneRuntime runtime)
    {
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await runtime.PostAsync("/functions/echo/hello", "{}")).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await runtime.PostAsync("/graphql", """{"query":"{ hello }"}""")).Status);
    }

    /// <summary>A gateway's side of the call port, as a plain socket: handshake with the fleet's key, then frames.</summary>
    private sealed class CallPortClient : IDisposable
    {
        private readonly TcpClient _socket;

        private CallPortClient(TcpClient socket)
        {
            _socket = socket;
            Stream = socket.GetStream();
        }

        public NetworkStream Stream { get; }

        public static async Task<CallPortClient> ConnectAsync(Uri h2c, string token)
        {
            var socket = new TcpClient { NoDelay = true };
            await socket.ConnectAsync(h2c.Host, h2c.Port);
            var client = new CallPortClient(socket);
            await client.Stream.WriteAsync(CallFrames.Preamble.ToArray());
            var preamble = new byte[CallFrames.Preamble.Length];
            await client.Stream.ReadExactlyAsync(preamble);
            var (_, challenge) = await client.ReadFrameAsync();
            var proof = new ArrayBufferWriter<byte>();
            CallHandshake.Write(proof, CallHandshake.Prove(FleetKeys.CallPort(token), challenge));
            await client.Stream.WriteAsync(proof.WrittenMemory);
            var (_, verdict) = await client.ReadFrameAsync();
            Assert.Equal(CallHandshake.Accepted, CallHandshake.ReadVerdict(verdict).Status);
            return client;
        }

        public async Task<int> CallAsync(string plugin, string function, string body)
        {
            var frame = new ArrayBufferWriter<byte>();
            CallFrames.WriteCall(frame, 1, plugin, function, Encoding.UTF8.GetBytes(body));
            await Stream.WriteAsync(frame.WrittenMemory);
            var (_, payload) = await ReadFrameAsync();
            return CallFrames.ReadAnswer(new ReadOnlySequence<byte>(payload)).Status;
        }

        private async Task<(uint Id, byte[] Payload)> ReadFrameAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var header = new byte[CallFrames.HeaderBytes];
            await Stream.ReadExactlyAsync(header, timeout.Token);
            var payload = new byte[BinaryPrimitives.ReadInt32BigEndian(header) - 4];
            await Stream.ReadExactlyAsync(payload, timeout.Token);
            return (BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)), payload);
        }

        public void Dispose() => _socket.Dispose();
    }
}
