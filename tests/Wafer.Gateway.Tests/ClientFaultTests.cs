using System.Net;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Wafer.Protocol.Routes;
using Wafer.Tests.Shared;

namespace Wafer.Gateway.Tests;

/// <summary>
/// Everything a caller can do wrong through the gateway, against a real runtime with one replica of each deployment:
/// a body over the limit (declared or chunked), cut short, stalled or malformed, a caller gone while its call runs, an
/// answer never read. Each is the caller's fault: it gets the 4xx it earned (or nothing, when it left), the runtime is
/// never put aside, and the next call from another client succeeds at once on the same replica. For function calls over
/// the call protocol (a small body) and over HTTP (a streamed body), handler routes (YARP) and GraphQL.
/// </summary>
public sealed class ClientFaultTests : IClassFixture<ClientFaultTests.Fleet>
{
    /// <summary>Where a request goes: a function call with a small body (call protocol) or a large one (HTTP), a handler, GraphQL.</summary>
    public enum Target
    {
        Call,
        Streamed,
        Handler,
        GraphQL,
    }

    private const int MiB = 1024 * 1024;

    /// <summary>One real runtime serving hello, faults and c-wagi, and a gateway whose callers must send 240 B/s after 2 s.</summary>
    public sealed class Fleet : IAsyncLifetime
    {
        public RealRuntime Runtime { get; private set; } = null!;

        public GatewayHost Gateway { get; private set; } = null!;

        public async ValueTask InitializeAsync()
        {
            Runtime = await RealRuntime.StartAsync("rt-0");
            Gateway = await GatewayHost.StartAsync(kestrel: k => k.Limits.MinRequestBodyDataRate = new MinDataRate(240, TimeSpan.FromSeconds(2)));
            Gateway.Routes.Publish(new RouteDocument(1,
            [
                RealRuntime.Deployment("hello", [], Runtime),
                RealRuntime.Deployment("faults", [], Runtime),
                RealRuntime.Deployment("c-wagi", [new HandlerRouteSpec("/wagi/...", ["GET", "POST"])], Runtime),
            ]));
        }

        public async ValueTask DisposeAsync()
        {
            await Gateway.DisposeAsync();
            await Runtime.DisposeAsync();
        }
    }

    private readonly Fleet _fleet;

    public ClientFaultTests(Fleet fleet)
    {
        _fleet = fleet;
        foreach (var destination in fleet.Gateway.Destinations.All)
        {
            destination.ProbeSucceeded(fleet.Gateway.Now); // each test starts with the runtime in rotation, whatever an earlier one concluded
        }
    }

    private GatewayHost Gateway => _fleet.Gateway;

    private static string PathOf(Target target) => target switch
    {
        Target.Call or Target.Streamed => "/functions/hello/greet",
        Target.Handler => "/wagi/echo",
        _ => "/graphql",
    };

    /// <summary>A body of exactly <paramref name="bytes"/> bytes that <paramref name="target"/> accepts.</summary>
    private static byte[] Body(Target target, int bytes)
    {
        var (prefix, suffix) = target switch
        {
            Target.Call or Target.Streamed => ("""{"name":" """.TrimEnd(), "\"}"),
            Target.Handler => ("", ""),
            _ => ("""{"query":"query($n: String!) { greet(name: $n) }","variables":{"n":" """.TrimEnd(), "\"}}"), // a variable: query text is held to GraphQL.MaxQueryLength
        };
        return Encoding.UTF8.GetBytes(prefix + new string('x', bytes - prefix.Length - suffix.Length) + suffix);
    }

    private static int SizeOf(Target target) => target == Target.Streamed ? 200 * 1024 : 20 * 1024;

    /// <summary>
    /// The point of every test here: once the gateway is done with the faulty request, the runtime is still in rotation
    /// and another client's call is answered by it at once.
    /// </summary>
    private async Task NextCallSucceedsAtOnceAsync()
    {
        await Gateway.WaitUntilIdleAsync();
        var destination = Gateway.Destinations.All.Single();
        Assert.True(destination.IsHealthy(Gateway.Now), "the caller's fault put the runtime aside");
        using var other = new HttpClient { BaseAddress = Gateway.Address, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await other.PostAsync("/functions/hello/greet", new StringContent("""{"name":"next"}""", Encoding.UTF8, "application/json"));
        Assert.Equal((HttpStatusCode.OK, """{"result":"Hello, next!"}""", "rt-0"),
            (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.GetValues("X-Wafer-Runtime").Single()));
    }

    [Theory]
    [InlineData(Target.Call)]
    [InlineData(Target.Handler)]
    [InlineData(Target.GraphQL)]
    public async Task BodyOverTheLimit_DeclaredWithoutExpect_413(Target target)
    {
        var body = Body(target, 5 * MiB); // as Node's fetch sends it: the whole body right after the head, no Expect: 100-continue
        using var client = await RawClient.ConnectAsync(Gateway.Address);
        var sending = client.SendQuietlyAsync(Encoding.ASCII.GetBytes(RawClient.Head(PathOf(target), body.Length)), body);

        Assert.Equal(413, await client.ReadStatusAsync());
        await sending;
        await NextCallSucceedsAtOnceAsync();
    }

    [Theory]
    [InlineData(Target.Call)]
    [InlineData(Target.Handler)]
    [InlineData(Target.GraphQL)]
    public async Task BodyOverTheLimit_Chunked_413(Target target)
    {
        var body = Body(target, 5 * MiB);
        using var client = await RawClient.ConnectAsync(Gateway.Address);
        var chunks = body.Chunk(256 * 1024).Select(c => RawClient.Chunk(c)).Append("0\r\n\r\n"u8.ToArray());
        var sending = client.SendQuietlyAsync([Encoding.ASCII.GetBytes(RawClient.Head(PathOf(target), null)), .. chunks]);

        Assert.Equal(413, await client.ReadStatusAsync());
        await sending;
        await NextCallSucceedsAtOnceAsync();
    }

    [Theory]
    [InlineData(Target.Call)]
    [InlineData(Target.Streamed)]
    [InlineData(Target.Handler)]
    [InlineData(Target.GraphQL)]
    public async Task BodyCutShort_CallerResetsTheConnection(Target target)
    {
        var body = Body(target, SizeOf(target));
        using var client = await RawClient.ConnectAsync(Gateway.Address);
        await client.SendAsync(RawClient.Head(PathOf(target), body.Length));
        await client.SendAsync(body.AsMemory(0, body.Length / 2));
        if (target == Target.Streamed)
        {
            await Eventually.TrueAsync(() => Gateway.Destinations.All.Single().InFlight == 1, "the streamed call reached the runtime");
        }

        client.Reset();
        await NextCallSucceedsAtOnceAsync();
    }

    [Theory]
    [InlineData(Target.Call)]
    [InlineData(Target.Handler)]
    [InlineData(Target.GraphQL)]
    public async Task MalformedChunking_400(Target target)
    {
        var body = Body(target, 1000);
        using var client = await RawClient.ConnectAsync(Gateway.Address);
        await client.SendAsync(RawClient.Head(PathOf(target), null));
        await client.SendAsync(RawClient.Chunk(body.AsSpan(0, 500)));
        await client.SendAsync("zz\r\nnot a chunk\r\n");

        Assert.Equal(400, await client.ReadStatusAsync());
        await NextCallSucceedsAtOnceAsync();
    }

    [Theory]
    [InlineData(Target.Call)]
    [InlineData(Target.Streamed)]
    [InlineData(Target.Handler)]
    [InlineData(Target.GraphQL)]
    public async Task BodyStallsBeforeItsDeclaredLength_408(Target target)
    {
        var body = Body(target, SizeOf(target));
        using var client = await RawClient.ConnectAsync(Gateway.Address);
        await client.SendAsync(RawClient.Head(PathOf(target), body.Length));
        await client.SendAsync(body.AsMemory(0, 100)); // then nothing: under 240 B/s once the 2 s of grace are over

        Assert.Equal(408, await client.ReadStatusAsync(TimeSpan.FromSeconds(30)));
        await NextCallSucceedsAtOnceAsync();
    }

    [Theory]
    [InlineData(Target.Call, "/functions/faults/spin", "{}")]
    [InlineData(Target.Handler, "/wagi/loop", "")]
    [InlineData(Target.GraphQL, "/graphql", """{"query":"{ spin }"}""")]
    public async Task CallerGoesAwayWhileItsCallRuns(Target target, string path, string json)
    {
        _ = target;
        using var client = await RawClient.ConnectAsync(Gateway.Address);
        await client.SendAsync(RawClient.Head(path, Encoding.UTF8.GetByteCount(json)) + json);
        await Eventually.TrueAsync(() => Gateway.Destinations.All.Single().InFlight == 1, "the call runs on the runtime");

        client.Reset();
        await NextCallSucceedsAtOnceAsync(); // while the abandoned call still runs there
    }

    [Theory]
    [Trait("Timing", "Sensitive")] // the gateway's call timeout: on a loaded machine the megabytes may not be written within it
    [InlineData(Target.Call)]
    [InlineData(Target.Streamed)]
    [InlineData(Target.Handler)]
    [InlineData(Target.GraphQL)]
    public async Task CallerNeverReadsTheAnswer(Target target)
    {
        var body = Body(target, target == Target.Call ? 60 * 1024 : 3 * MiB); // the answer is as large: megabytes block the gateway's writes
        using var client = await RawClient.ConnectAsync(Gateway.Address);
        await client.SendAsync(RawClient.Head(PathOf(target), body.Length));
        await client.SendAsync(body);

        Assert.Equal(200, await client.ReadStatusAsync()); // the head only: the body stays unread
        client.Reset();
        await NextCallSucceedsAtOnceAsync();
    }

    [Fact]
    public async Task BodyOverALowerLimitOfTheRuntime_Declared_TheRuntimes413_NotPutAside()
    {
        await using var runtime = await RealRuntime.StartAsync("rt-0", maxRequestBytes: MiB);
        await using var gateway = await GatewayHost.StartAsync(); // 4 MiB
        gateway.Routes.Publish(new RouteDocument(1, [RealRuntime.Deployment("hello", [], runtime)]));

        // More than loopback buffers hold: without Expect: 100-continue the runtime would close the connection while it is being sent.
        using var tooLarge = await gateway.Client.PostAsync("/functions/hello/greet", new ByteArrayContent(Body(Target.Call, 7 * MiB / 2)));
        using var next = await gateway.Client.PostAsync("/functions/hello/greet", new StringContent("""{"name":"next"}"""));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Contains($"exceeds {MiB} bytes", await tooLarge.Content.ReadAsStringAsync(), StringComparison.Ordinal); // the runtime's limit, not the gateway's
        Assert.Equal((HttpStatusCode.OK, "rt-0"), (next.StatusCode, next.Headers.GetValues("X-Wafer-Runtime").Single()));
    }

    [Fact]
    public async Task BodyOverALowerLimitOfTheRuntime_Chunked_NotPutAside()
    {
        await using var runtime = await RealRuntime.StartAsync("rt-0", maxRequestBytes: MiB);
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Routes.Publish(new RouteDocument(1, [RealRuntime.Deployment("hello", [], runtime)]));
        using var client = await RawClient.ConnectAsync(gateway.Address);
        var chunks = Body(Target.Call, 2 * MiB).Chunk(64 * 1024).Select(c => RawClient.Chunk(c)).Append("0\r\n\r\n"u8.ToArray());
        var sending = client.SendQuietlyAsync([Encoding.ASCII.GetBytes(RawClient.Head(PathOf(Target.Call), null)), .. chunks]);

        var status = await client.ReadStatusAsync();
        await sending;
        await gateway.WaitUntilIdleAsync();
        using var next = await gateway.Client.PostAsync("/functions/hello/greet", new StringContent("""{"name":"next"}"""));

        Assert.True(status is 413 or 502, $"answered {status}: {client.Received}"); // the runtime closed under the body: its answer may be lost with it
        Assert.Equal((HttpStatusCode.OK, "rt-0"), (next.StatusCode, next.Headers.GetValues("X-Wafer-Runtime").Single()));
    }
}
