using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using Wafer.Gateway.Health;
using Wafer.Gateway.Hosting;
using Wafer.Tests.Shared;

namespace Wafer.Gateway.Tests;

/// <summary>
/// The gateway's health timings, on a clock the tests move on (<see cref="FakeTimeProvider"/>) instead of sleeping: a
/// runtime that stops answering is put aside once a probe goes unanswered too, a slow one that answers its probe is
/// not, a put-aside lasts <see cref="GatewayOptions.PutAsideFor"/>, a call gets <see cref="GatewayOptions.CallTimeout"/>,
/// and failed periodic probes take a runtime out until one succeeds.
/// </summary>
public sealed class HealthTests
{
    private static readonly TimeSpan StallAfter = TimeSpan.FromMilliseconds(500);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A runtime that takes requests and answers none (function calls, and <c>/healthz</c> unless <paramref name="healthy"/>).</summary>
    private static Func<HttpContext, Task> Hung(StrongBox<int> calls, bool healthy = false) => async context =>
    {
        if (context.Request.Path == "/healthz")
        {
            if (healthy)
            {
                await context.Response.WriteAsync("""{"status":"ok"}""");
                return;
            }
        }
        else
        {
            Interlocked.Increment(ref calls.Value);
        }

        await Task.Delay(Timeout.Infinite, context.RequestAborted);
    };

    private static Destination Named(GatewayHost gateway, string name) => gateway.Destinations.All.Single(d => d.RuntimeName == name);

    /// <summary>Moves the fake clock on in small steps until <paramref name="condition"/> holds (the gateway's loops run on the thread pool).</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition, string what, TimeSpan step, TimeSpan most)
    {
        var moved = TimeSpan.Zero;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(moved <= most, $"{what} did not happen within {most.TotalMilliseconds} ms of the gateway's clock");
            Assert.True(DateTime.UtcNow < deadline, $"{what} did not happen within 30 s");
            time.Advance(step);
            moved += step;
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task RuntimeStopsAnswering_PutAsideOnceItsProbeGoesUnanswered_NewCallsGoElsewhere_ItsCallKeepsItsTimeout()
    {
        var time = new FakeTimeProvider();
        var hungCalls = new StrongBox<int>();
        await using var hung = await StubRuntime.StartAsync("hung", Hung(hungCalls));
        await using var live = await StubRuntime.StartAsync("live");
        await using var gateway = await GatewayHost.StartAsync(o => o.StallAfter = StallAfter, time);
        gateway.Publish(1, ("web", ["greet"], [hung.Url, live.Url]));

        var stuck = gateway.Client.PostAsync("/functions/greet", Json("""{"name":"first"}""")); // round-robin: the hung one first
        await Eventually.TrueAsync(() => hungCalls.Value == 1, "the first call reached the hung runtime");
        Assert.True(Named(gateway, "rt-0").IsHealthy(gateway.Now)); // silent, but not for long yet

        // Silent for StallAfter: probed; the probe unanswered for StallAfter: put aside. Not before both.
        await AdvanceUntilAsync(time, () => !Named(gateway, "rt-0").IsHealthy(gateway.Now), "putting the hung runtime aside",
            TimeSpan.FromMilliseconds(25), TimeSpan.FromSeconds(2));
        Assert.True(Named(gateway, "rt-0").IsStalled);

        for (var i = 0; i < 4; i++)
        {
            using var response = await gateway.Client.PostAsync("/functions/greet", Json("""{"name":"next"}"""));
            Assert.Equal((HttpStatusCode.OK, "rt-1"), (response.StatusCode, response.Headers.GetValues("X-Wafer-Runtime").Single()));
        }

        Assert.False(stuck.IsCompleted); // the call it has may be running: it keeps its own deadline, and is not sent again
        time.Advance(TimeSpan.FromMinutes(2));
        using var timedOut = await stuck;
        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
        Assert.Contains("gateway_timeout", await timedOut.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal((1, 4), (hungCalls.Value, live.Requests));
    }

    [Fact]
    public async Task RuntimeRunsALongCall_AnswersItsProbe_KeepsGettingCalls()
    {
        var time = new FakeTimeProvider();
        var slowCalls = new StrongBox<int>();
        await using var slow = await StubRuntime.StartAsync("slow", Hung(slowCalls, healthy: true));
        await using var gateway = await GatewayHost.StartAsync(o => o.StallAfter = StallAfter, time);
        gateway.Publish(1, ("web", ["greet"], [slow.Url]));

        var running = gateway.Client.PostAsync("/functions/greet", Json("""{"name":"long"}"""));
        await Eventually.TrueAsync(() => slowCalls.Value == 1, "the call reached the runtime");
        var destination = gateway.Destinations.All.Single();
        var probes = slow.Requests; // the call; each probe adds one
        await AdvanceUntilAsync(time, () => slow.Requests >= probes + 2, "two probes answered", TimeSpan.FromMilliseconds(25), TimeSpan.FromSeconds(5));

        Assert.True(destination.IsHealthy(gateway.Now));
        Assert.False(destination.IsStalled);
        Assert.False(running.IsCompleted);
        var second = gateway.Client.PostAsync("/functions/greet", Json("""{"name":"second"}"""));
        await Eventually.TrueAsync(() => slowCalls.Value == 2, "the next call reached the same runtime");
        time.Advance(TimeSpan.FromMinutes(3));
        Assert.Equal(HttpStatusCode.GatewayTimeout, (await running).StatusCode);
        Assert.Equal(HttpStatusCode.GatewayTimeout, (await second).StatusCode);
    }

    [Fact]
    public async Task StalledRuntimeAnswersAgain_BackInRotation()
    {
        var time = new FakeTimeProvider();
        var release = new TaskCompletionSource();
        var calls = 0;
        await using var paused = await StubRuntime.StartAsync("paused", async context =>
        {
            if (context.Request.Path != "/healthz")
            {
                Interlocked.Increment(ref calls);
            }

            await release.Task.WaitAsync(context.RequestAborted); // as a stopped process: nothing until it is continued
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"result":"late"}""");
        });
        await using var live = await StubRuntime.StartAsync("live");
        await using var gateway = await GatewayHost.StartAsync(o => o.StallAfter = StallAfter, time);
        gateway.Publish(1, ("web", ["greet"], [paused.Url, live.Url]));

        var stuck = gateway.Client.PostAsync("/functions/greet", Json("""{"name":"x"}"""));
        await Eventually.TrueAsync(() => Volatile.Read(ref calls) == 1, "the call reached the paused runtime");
        await AdvanceUntilAsync(time, () => Named(gateway, "rt-0").IsStalled, "the stall", TimeSpan.FromMilliseconds(25), TimeSpan.FromSeconds(2));

        release.SetResult(); // continued: its call is answered, which is progress
        using var answer = await stuck;
        Assert.Equal((HttpStatusCode.OK, """{"result":"late"}"""), (answer.StatusCode, await answer.Content.ReadAsStringAsync()));
        Assert.True(Named(gateway, "rt-0").IsHealthy(gateway.Now));
    }

    [Fact]
    public async Task RefusedConnection_PutAsideForPutAsideFor_ThenTriedAgain()
    {
        var time = new FakeTimeProvider();
        await using var live = await StubRuntime.StartAsync("live");
        await using var gateway = await GatewayHost.StartAsync(o => o.PutAsideFor = TimeSpan.FromSeconds(7), time);
        gateway.Publish(1, ("web", ["greet"], [StubRuntime.RefusingUrl(), live.Url]));

        using var response = await gateway.Client.PostAsync("/functions/greet", Json("{}"));
        var refusing = Named(gateway, "rt-0");

        Assert.Equal((HttpStatusCode.OK, "rt-1"), (response.StatusCode, response.Headers.GetValues("X-Wafer-Runtime").Single()));
        time.Advance(TimeSpan.FromSeconds(7) - TimeSpan.FromMilliseconds(1));
        Assert.False(refusing.IsHealthy(gateway.Now));
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(refusing.IsHealthy(gateway.Now));
    }

    [Fact]
    public async Task CallTimeout_FromTheOptions_504ForACall_GatewayTimeoutForAGraphQLField_RuntimePutAside()
    {
        var time = new FakeTimeProvider();
        var calls = new StrongBox<int>();
        await using var hung = await StubRuntime.StartAsync("hung", Hung(calls, healthy: true));
        await using var gateway = await GatewayHost.StartAsync(o => o.CallTimeout = TimeSpan.FromSeconds(10), time);
        gateway.Publish(1, ("web", ["greet"], [hung.Url]));

        var call = gateway.Client.PostAsync("/functions/greet", Json("""{"name":"x"}"""));
        var field = gateway.Client.PostAsync("/graphql", Json("""{"query":"{ greet(name: \"x\") }"}"""));
        await Eventually.TrueAsync(() => calls.Value == 2, "both reached the runtime");
        time.Advance(TimeSpan.FromSeconds(10) - TimeSpan.FromMilliseconds(1));
        await Task.Delay(50);
        Assert.False(call.IsCompleted || field.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));

        using var timedOut = await call;
        using var fieldAnswer = await field;
        var error = JsonDocument.Parse(await fieldAnswer.Content.ReadAsStringAsync()).RootElement.GetProperty("errors")[0];
        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
        Assert.Equal("gateway_timeout", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.False(gateway.Destinations.All.Single().IsHealthy(gateway.Now)); // no probe meanwhile to clear it (StallAfter: a minute here)
    }

    [Fact]
    public void CallFailure_OnlyTheRuntimesOwnFaultsPutItAside()
    {
        var putAside = Enum.GetValues<Forwarding.CallFailure>().Where(f => Forwarding.CallFailures.PutsAside(f));
        var callers = Enum.GetValues<Forwarding.CallFailure>().Where(f => Forwarding.CallFailures.IsCallers(f));

        Assert.Equal([Forwarding.CallFailure.NotSent, Forwarding.CallFailure.Broke, Forwarding.CallFailure.TimedOut], putAside);
        Assert.Equal([Forwarding.CallFailure.ClientBody, Forwarding.CallFailure.ClientGone], callers);
    }

    [Fact]
    public async Task PeriodicProbes_FailTwice_Down_UntilOneSucceeds()
    {
        var time = new FakeTimeProvider();
        var healthy = false;
        await using var runtime = await StubRuntime.StartAsync("rt", async context =>
        {
            context.Response.StatusCode = Volatile.Read(ref healthy) ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("{}");
        });
        await using var gateway = await GatewayHost.StartAsync(o => (o.ProbeInterval, o.ProbeTimeout) = (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)), time);
        gateway.Publish(1, ("web", ["greet"], [runtime.Url]));
        var destination = gateway.Destinations.All.Single();

        await AdvanceUntilAsync(time, () => runtime.Requests == 1, "the first probe", TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3));
        Assert.True(destination.IsHealthy(gateway.Now)); // one failure is not enough
        await AdvanceUntilAsync(time, () => !destination.IsHealthy(gateway.Now), "down after the second", TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3));
        Assert.Equal(2, runtime.Requests);

        Volatile.Write(ref healthy, true);
        await AdvanceUntilAsync(time, () => destination.IsHealthy(gateway.Now), "up after a probe succeeds", TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task RuntimeRefusingConnections_ProbedAtDoublingIntervalsUpTo30s_BackWithTheFirstProbeItAnswers()
    {
        var time = new FakeTimeProvider();
        var port = LoopbackPorts.Free(); // nothing listens: every connect is refused
        await using var gateway = await GatewayHost.StartAsync(o => (o.ProbeInterval, o.ProbeTimeout) = (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)), time);
        gateway.Publish(1, ("web", ["greet"], [$"http://127.0.0.1:{port}"]));
        var destination = gateway.Destinations.All.Single();
        var start = time.GetUtcNow();
        TimeSpan Moved() => time.GetUtcNow() - start;

        // probes at 2 and 4 s (down), then 8, 16, 32 s; at the usual interval the fifth would fail at 10 s
        await AdvanceUntilAsync(time, () => destination.ProbeFailures >= 5, "five failed probes", TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60));
        Assert.False(destination.IsHealthy(gateway.Now));
        Assert.InRange(Moved(), TimeSpan.FromSeconds(31), TimeSpan.FromSeconds(60));

        // then every 30 s at most (62, 92 s), not 64 s and more
        await AdvanceUntilAsync(time, () => destination.ProbeFailures >= 7, "seven failed probes", TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(90));
        Assert.InRange(Moved(), TimeSpan.FromSeconds(91), TimeSpan.FromSeconds(120));

        // the runtime answers again: the next probe (within 30 s) brings it back, and the usual interval with it
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var serving = AnswerHealthzAsync(listener, stop.Token);
        await AdvanceUntilAsync(time, () => destination.IsHealthy(gateway.Now), "healthy after a probe succeeds", TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(32));
        Assert.Equal(0, destination.ProbeFailures);
        Assert.True(destination.ProbeDue(gateway.Now));
        await stop.CancelAsync();
        listener.Stop();
        await serving;
    }

    [Fact]
    public async Task RuntimeRefusingConnections_ACallThatFindsNoReplica_BringsItsProbeForward()
    {
        var time = new FakeTimeProvider();
        var port = LoopbackPorts.Free();
        await using var gateway = await GatewayHost.StartAsync(o => (o.ProbeInterval, o.ProbeTimeout) = (TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)), time);
        gateway.Publish(1, ("web", ["greet"], [$"http://127.0.0.1:{port}"]));
        var destination = gateway.Destinations.All.Single();
        await AdvanceUntilAsync(time, () => destination.ProbeFailures >= 6, "six failed probes", TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(90));
        Assert.False(destination.ProbeDue(gateway.Now + 2_000)); // the next probe is 30 s away

        // the runtime is back at its address; a call finds no healthy replica, and the next tick probes it
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        using var stop = new CancellationTokenSource();
        var serving = AnswerHealthzAsync(listener, stop.Token);
        using (var refused = await gateway.Client.PostAsync("/functions/web/greet", new StringContent("{}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        var wanted = time.GetUtcNow();
        await AdvanceUntilAsync(time, () => destination.IsHealthy(gateway.Now), "healthy after the call wanted it", TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));
        Assert.InRange(time.GetUtcNow() - wanted, TimeSpan.Zero, TimeSpan.FromSeconds(4.5));
        await stop.CancelAsync();
        listener.Stop();
        await serving;
    }

    /// <summary>A bare HTTP/1.1 server: 200 with a small JSON body to every request, one per connection.</summary>
    private static async Task AnswerHealthzAsync(TcpListener listener, CancellationToken stop)
    {
        var answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 15\r\nConnection: close\r\n\r\n{\"status\":\"ok\"}"u8.ToArray();
        try
        {
            while (true)
            {
                using var connection = await listener.AcceptTcpClientAsync(stop);
                var stream = connection.GetStream();
                var request = new StringBuilder();
                var buffer = new byte[1024];
                while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer, stop);
                    if (read == 0)
                    {
                        break;
                    }

                    request.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                await stream.WriteAsync(answer, stop);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // stopped
        }
    }
}
