using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>
/// The gateway in front of real runtime processes: in the orchestrator (same port as its REST API) and alone
/// (<c>wafer gateway</c>). Routing and balancing, a runtime killed under load, GraphQL over two deployments, a WAGI
/// route, and the token on control operations. Bounds are loose (a shared 2-core machine); figures are printed.
/// </summary>
[Trait("Category", "Fleet")]
public sealed class GatewayTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static void Report(string line)
    {
        Console.WriteLine("gateway: " + line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Waits until the routes the gateway serves give <paramref name="deployment"/> <paramref name="replicas"/> replicas.</summary>
    private static async Task WaitForRoutesAsync(FleetCluster cluster, string deployment, int replicas) =>
        await Eventually.TrueAsync(async () =>
        {
            var routes = await cluster.GetJsonAsync("/api/routes");
            return routes.GetProperty("deployments").EnumerateArray()
                .Any(d => d.GetProperty("name").GetString() == deployment && d.GetProperty("replicas").GetArrayLength() == replicas);
        }, $"the routes give {deployment} {replicas} replica(s)", Bound, cluster.Logs);

    [Fact]
    public async Task Gateway_ThreeReplicas_CallsSpreadOverEveryRuntime()
    {
        await using var cluster = await FleetCluster.StartAsync();
        await cluster.DeployHelloAsync("web", replicas: 3);
        await cluster.WaitForRunningAsync("web", 3, Bound);
        await WaitForRoutesAsync(cluster, "web", 3);

        var answered = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 30; i++)
        {
            using var response = await cluster.Api.PostAsync("/functions/hello", Json("{}"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);
            Assert.Equal("""{"result":"Hello, world!"}""", body);
            var runtime = response.Headers.GetValues("X-Wafer-Runtime").Single();
            answered[runtime] = answered.GetValueOrDefault(runtime) + 1;
        }

        Report("30 calls through the gateway answered by " + string.Join(", ", answered.Select(a => $"{a.Key}: {a.Value}")));
        Assert.Equal(["rt-1", "rt-2", "rt-3"], answered.Keys.Order(StringComparer.Ordinal));
        Assert.All(answered.Values, count => Assert.InRange(count, 5, 20));

        // Every runtime announced its HTTP/2 listener; calls many at a time go over it and are all answered.
        var replicas = (await cluster.GetJsonAsync("/api/routes")).GetProperty("deployments").EnumerateArray()
            .Single(d => d.GetProperty("name").GetString() == "web").GetProperty("replicas").EnumerateArray().ToList();
        Assert.All(replicas, r =>
        {
            Uri url = new(r.GetProperty("url").GetString()!), h2c = new(r.GetProperty("h2cUrl").GetString()!);
            Assert.Equal(("http", url.Host), (h2c.Scheme, h2c.Host));
            Assert.NotEqual(url.Port, h2c.Port);
        });
        var runtimes = (await cluster.GetJsonAsync("/api/runtimes?alive=true")).GetProperty("runtimes").EnumerateArray()
            .ToDictionary(r => r.GetProperty("url").GetString()!, r => r.GetProperty("h2cUrl").GetString());
        Assert.All(replicas, r => Assert.Equal(r.GetProperty("h2cUrl").GetString(), runtimes[r.GetProperty("url").GetString()!]));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 8).Select(async caller =>
        {
            var bodies = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                using var response = await cluster.Api.PostAsync("/functions/web/greet", Json($$"""{"name":"c{{caller}}-{{i}}"}"""));
                bodies.Add($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            return bodies.SequenceEqual(Enumerable.Range(0, 10).Select(i => $$"""200 {"result":"Hello, c{{caller}}-{{i}}!"}"""));
        }));
        Assert.All(concurrent, Assert.True);

        using var qualified = await cluster.Api.PostAsync("/functions/web/greet", Json("""{"name":"gateway"}"""));
        Assert.Equal("""{"result":"Hello, gateway!"}""", await qualified.Content.ReadAsStringAsync());
        using var unknown = await cluster.Api.PostAsync("/functions/nope", Json("{}"));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var badArguments = await cluster.Api.PostAsync("/functions/greet", Json("""{"name":5}"""));
        Assert.Equal(HttpStatusCode.BadRequest, badArguments.StatusCode); // the runtime's answer, passed through
        Assert.Contains("argument 'name'", await badArguments.Content.ReadAsStringAsync());

        await cluster.DeployHelloAsync("other", replicas: 1);
        await WaitForRoutesAsync(cluster, "other", 1);
        using var ambiguous = await cluster.Api.PostAsync("/functions/hello", Json("{}"));
        var problem = await ambiguous.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Conflict, ambiguous.StatusCode);
        Assert.Contains("/functions/other/hello", problem);
        Assert.Contains("/functions/web/hello", problem);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Gateway_RuntimeKilledUnderLoad_NoFailedCallAfterItIsOffline()
    {
        await using var cluster = await FleetCluster.StartAsync();
        await cluster.DeployHelloAsync("web", replicas: 3);
        await cluster.WaitForRunningAsync("web", 3, Bound);
        await WaitForRoutesAsync(cluster, "web", 3);

        var calls = new ConcurrentQueue<(double StartMs, bool Ok, string? Runtime, string Error)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        using var client = new HttpClient { BaseAddress = cluster.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var started = clock.Elapsed.TotalMilliseconds;
                try
                {
                    using var response = await client.PostAsync("/functions/hello", Json("{}"));
                    var body = await response.Content.ReadAsStringAsync();
                    var runtime = response.Headers.TryGetValues("X-Wafer-Runtime", out var names) ? names.Single() : null;
                    calls.Enqueue((started, response.IsSuccessStatusCode, runtime, response.IsSuccessStatusCode ? "" : $"{runtime}: {(int)response.StatusCode} {body}"));
                }
                catch (HttpRequestException ex)
                {
                    calls.Enqueue((started, false, null, ex.Message));
                }
            }
        })).ToArray();

        await Eventually.TrueAsync(() => Task.FromResult(calls.Count(c => c.Ok) > 200), "the load runs before the kill", Bound, cluster.Logs);
        var killedAt = clock.Elapsed.TotalMilliseconds;
        cluster.Kill(cluster.Runtimes["rt-2"]);
        await Eventually.TrueAsync(async () => (await cluster.GetJsonAsync("/api/runtimes/rt-2")).GetProperty("state").GetString() == "offline",
            "rt-2 is offline", Bound, cluster.Logs);
        var offlineAt = clock.Elapsed.TotalMilliseconds;
        const int grace = 500;
        await Eventually.TrueAsync(() => Task.FromResult(calls.Count(c => c.StartMs > offlineAt + grace) > 500), "the load runs on after detection", Bound, cluster.Logs);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var all = calls.ToArray();
        var failed = all.Where(c => !c.Ok).ToArray();
        var afterDetection = all.Where(c => c.StartMs > offlineAt + grace).ToArray();
        Report($"{all.Length} calls; rt-2 killed at {killedAt:0} ms, offline at {offlineAt:0} ms (+{offlineAt - killedAt:0} ms); "
               + $"{failed.Length} failed call(s) in all, {afterDetection.Count(c => !c.Ok)} of {afterDetection.Length} after offline + {grace} ms");
        foreach (var failure in failed.Take(5))
        {
            Report($"  failed call started at {failure.StartMs:0} ms: {failure.Error}");
        }

        Assert.True(all.Count(c => c.Ok && c.StartMs < killedAt) > 50, "the load ran before the kill");
        Assert.True(afterDetection.Length > 50, "the load ran after the runtime went offline");
        Assert.DoesNotContain(afterDetection, c => !c.Ok);
        Assert.DoesNotContain(afterDetection, c => c.Runtime == "rt-2");
        Assert.Equal(["rt-1", "rt-3"], afterDetection.Select(c => c.Runtime!).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Gateway_RuntimeHungUnderLoad_NewCallsGoToTheOtherWithinTwoSeconds()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 2);
        await cluster.DeployHelloAsync("web", replicas: 2);
        await cluster.WaitForRunningAsync("web", 2, Bound);
        await WaitForRoutesAsync(cluster, "web", 2);

        var calls = new ConcurrentQueue<(double StartMs, double EndMs, bool Ok, string? Runtime, string Error)>();
        var clock = Stopwatch.StartNew();
        using var client = new HttpClient { BaseAddress = cluster.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        async Task CallAsync()
        {
            var started = clock.Elapsed.TotalMilliseconds;
            try
            {
                using var response = await client.PostAsync("/functions/hello", Json("{}"));
                var body = await response.Content.ReadAsStringAsync();
                var runtime = response.Headers.TryGetValues("X-Wafer-Runtime", out var names) ? names.Single() : null;
                calls.Enqueue((started, clock.Elapsed.TotalMilliseconds, response.IsSuccessStatusCode, runtime, $"{runtime}: {(int)response.StatusCode} {body}"));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                calls.Enqueue((started, clock.Elapsed.TotalMilliseconds, false, null, e.Message));
            }
        }

        // An open loop of 60 calls a second, whatever the answers take: callers do not wait for each other.
        using var stop = new CancellationTokenSource();
        var sent = new List<Task>();
        var load = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(1000.0 / 60));
            while (!stop.IsCancellationRequested && await timer.WaitForNextTickAsync(CancellationToken.None))
            {
                sent.Add(CallAsync());
            }
        });

        await Eventually.TrueAsync(() => Task.FromResult(calls.Count(c => c.Ok) > 100), "the load runs before the runtime hangs", Bound, cluster.Logs);
        var hungAt = clock.Elapsed.TotalMilliseconds;
        const double bound = 2000;
        cluster.Runtimes["rt-2"].Pause();
        var resumedAt = double.MaxValue;
        try
        {
            await Eventually.TrueAsync(() => Task.FromResult(calls.Count(c => c.StartMs > hungAt + bound && c.Ok) > 150),
                "the load runs on past the bound", Bound, cluster.Logs);
        }
        finally
        {
            resumedAt = clock.Elapsed.TotalMilliseconds; // calls started from here on may go to rt-2 again: it runs
            cluster.Runtimes["rt-2"].Resume();
        }

        await stop.CancelAsync();
        await load;
        await Task.WhenAll(sent); // the calls the hung runtime had are answered once it runs again

        var all = calls.ToArray();
        var toHung = all.Where(c => c.StartMs >= hungAt && c.StartMs < resumedAt && c.Runtime == "rt-2").ToArray();
        var lastToHung = toHung.Length == 0 ? hungAt : toHung.Max(c => c.StartMs);
        var failed = all.Where(c => !c.Ok).ToArray();
        var afterBound = all.Where(c => c.StartMs > hungAt + bound && c.StartMs < resumedAt).ToArray();
        Report($"{all.Length} calls at 60/s; rt-2 stopped at {hungAt:0} ms for {resumedAt - hungAt:0} ms; the last new call went to it "
               + $"{lastToHung - hungAt:0} ms after the stop ({toHung.Length} calls in all, the longest waited {toHung.Select(c => c.EndMs - c.StartMs).DefaultIfEmpty().Max():0} ms); "
               + $"{failed.Length} failed; after stop + {bound:0} ms: {afterBound.Length} calls, the slowest {afterBound.Max(c => c.EndMs - c.StartMs):0} ms");
        foreach (var failure in failed.Take(5))
        {
            Report($"  failed call started at {failure.StartMs:0} ms: {failure.Error}");
        }

        Assert.True(lastToHung - hungAt < bound, $"a new call went to the hung runtime {lastToHung - hungAt:0} ms after it stopped");
        Assert.All(afterBound, c => Assert.True(c.Ok && c.Runtime == "rt-1", $"a call started {c.StartMs - hungAt:0} ms after the stop: {c.Error}"));
        Assert.All(failed, c => Assert.True(c.StartMs < hungAt + bound && c.Runtime is "rt-2" or null, $"a call that failed elsewhere: {c.Error}"));
    }

    [Fact]
    public async Task Gateway_RollingUpdateThenScaleDownUnderLoad_NoCallFails()
    {
        await using var cluster = await FleetCluster.StartAsync();
        await cluster.DeployHelloAsync("web", replicas: 3, version: "1");
        await cluster.WaitForRunningAsync("web", 3, Bound);
        await WaitForRoutesAsync(cluster, "web", 3);

        var calls = new ConcurrentQueue<(bool Ok, string Error)>();
        using var stop = new CancellationTokenSource();
        using var client = new HttpClient { BaseAddress = cluster.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await client.PostAsync("/functions/hello", Json("{}"));
                    var body = await response.Content.ReadAsStringAsync();
                    var runtime = response.Headers.TryGetValues("X-Wafer-Runtime", out var names) ? names.Single() : null;
                    calls.Enqueue((response.IsSuccessStatusCode, response.IsSuccessStatusCode ? "" : $"{runtime}: {(int)response.StatusCode} {body}"));
                }
                catch (HttpRequestException ex)
                {
                    calls.Enqueue((false, ex.Message));
                }
            }
        })).ToArray();

        await Eventually.TrueAsync(() => Task.FromResult(calls.Count > 200), "the load runs before the update", Bound, cluster.Logs);
        var hash = (await cluster.DeployHelloAsync("web", replicas: 3, version: "2")).GetProperty("hash").GetString();
        await cluster.WaitForRunningAsync("web", 3, Bound, running => running.All(m => m.GetProperty("hash").GetString() == hash));
        var updated = calls.Count;
        await cluster.DeployHelloAsync("web", replicas: 1, version: "2");
        await cluster.WaitForRunningAsync("web", 1, Bound);
        await WaitForRoutesAsync(cluster, "web", 1);
        var scaledDown = calls.Count;
        await Eventually.TrueAsync(() => Task.FromResult(calls.Count > scaledDown + 200), "the load runs on after the scale-down", Bound, cluster.Logs);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var failed = calls.Where(c => !c.Ok).ToArray();
        Report($"{calls.Count} calls ({updated} until version 2 ran everywhere, {scaledDown} until one replica was left); {failed.Length} failed");
        foreach (var failure in failed.Take(5))
        {
            Report("  failed: " + failure.Error);
        }

        Assert.Empty(failed);
    }

    [Fact]
    public async Task Gateway_GraphQLAndHandlerRoute_ServedFromTwoDeployments()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 2);
        await cluster.DeployHelloAsync("hello", replicas: 2);
        await cluster.DeployAsync("calc", "c-calc", replicas: 1);
        await cluster.DeployAsync("wagi", "c-wagi", replicas: 1);
        await WaitForRoutesAsync(cluster, "hello", 2);
        await WaitForRoutesAsync(cluster, "calc", 1);
        await WaitForRoutesAsync(cluster, "wagi", 1);

        using var graphql = await cluster.Api.PostAsync("/graphql", Json("""{"query":"{ hello sum(values: [1, 2, 3.5]) point(x: 1.5, y: -2) { x y } }"}"""));
        var body = await graphql.Content.ReadAsStringAsync();
        Assert.True(graphql.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("""{"data":{"hello":"Hello, world!","sum":6.5,"point":{"x":1.5,"y":-2}}}""", body);

        using var failed = await cluster.Api.PostAsync("/graphql", Json("""{"query":"{ divide(a: 1, b: 0) hello }"}"""));
        var failure = JsonDocument.Parse(await failed.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("Hello, world!", failure.GetProperty("data").GetProperty("hello").GetString());
        var error = failure.GetProperty("errors")[0];
        Assert.Equal("calc/divide failed: guest_error: division by zero", error.GetProperty("message").GetString());
        Assert.Equal("guest_error", error.GetProperty("extensions").GetProperty("code").GetString());

        var sdl = await cluster.Api.GetStringAsync("/graphql/schema");
        Assert.Contains("hello: String", sdl);
        Assert.Contains("sum(", sdl);

        using var handler = await cluster.Api.GetAsync("/wagi/hello");
        Assert.Equal(HttpStatusCode.OK, handler.StatusCode);
        Assert.Equal("Hello, WAGI!\n", await handler.Content.ReadAsStringAsync());
        Assert.Equal("text/plain", handler.Content.Headers.ContentType!.MediaType);
        using var status = await cluster.Api.GetAsync("/wagi/status");
        Assert.Equal(HttpStatusCode.Created, status.StatusCode);
        Assert.Equal("yes", status.Headers.GetValues("X-Custom").Single());
        using var noRoute = await cluster.Api.GetAsync("/nowhere");
        Assert.Equal(HttpStatusCode.NotFound, noRoute.StatusCode);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task StandaloneGateway_FollowsTheOrchestratorAndGuardsControlOperations()
    {
        const string token = "gateway-test-token";
        await using var cluster = await FleetCluster.StartAsync(runtimes: 2, token: token);
        var (_, gateway) = await cluster.StartGatewayAsync();
        await cluster.DeployHelloAsync("web", replicas: 2);
        await cluster.WaitForRunningAsync("web", 2, Bound);

        var clock = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () => (await gateway.PostAsync("/functions/hello", Json("{}"))).IsSuccessStatusCode,
            "the standalone gateway serves the new deployment", Bound, cluster.Logs);
        Report($"standalone gateway served a new deployment {clock.Elapsed.TotalMilliseconds:0} ms after it ran");

        // Function routes stay public.
        using var call = await gateway.PostAsync("/functions/web/greet", Json("""{"name":"alone"}"""));
        Assert.Equal("""{"result":"Hello, alone!"}""", await call.Content.ReadAsStringAsync());
        using var graphql = await gateway.PostAsync("/graphql", Json("""{"query":"{ greet(name: \"q\") }"}"""));
        Assert.Equal("""{"data":{"greet":"Hello, q!"}}""", await graphql.Content.ReadAsStringAsync());

        // Control operations need the token, at the gateway and at the orchestrator.
        using var anonymous = new HttpClient { BaseAddress = cluster.Api.BaseAddress };
        using (var refused = await anonymous.GetAsync("/api/routes"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var refused = await gateway.DeleteAsync("/api/deployments/web"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var read = await gateway.GetAsync("/api/deployments/web"))
        {
            Assert.Equal(HttpStatusCode.OK, read.StatusCode); // reads pass through
        }

        // Addresses only with the token, through the gateway as at the orchestrator.
        var anonymousRuntimes = JsonDocument.Parse(await gateway.GetStringAsync("/api/runtimes")).RootElement.GetProperty("runtimes").EnumerateArray().ToList();
        Assert.Equal(2, anonymousRuntimes.Count);
        Assert.All(anonymousRuntimes, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("url").ValueKind));
        Assert.All(anonymousRuntimes, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("h2cUrl").ValueKind));
        using (var listing = new HttpRequestMessage(HttpMethod.Get, "/api/runtimes"))
        {
            listing.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var withToken = await gateway.SendAsync(listing);
            var runtimes = JsonDocument.Parse(await withToken.Content.ReadAsStringAsync()).RootElement.GetProperty("runtimes").EnumerateArray().ToList();
            Assert.All(runtimes, r => Assert.StartsWith("http://127.0.0.1:", r.GetProperty("url").GetString()));
        }

        // A page of another site cannot stop the deployment through the gateway, even if the browser had the token.
        using (var crossSite = new HttpRequestMessage(HttpMethod.Delete, "/api/deployments/web"))
        {
            crossSite.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            crossSite.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
            using var refused = await gateway.SendAsync(crossSite);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        using var stop = new HttpRequestMessage(HttpMethod.Delete, "/api/deployments/web");
        stop.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using (var stopped = await gateway.SendAsync(stop))
        {
            Assert.True(stopped.IsSuccessStatusCode, await stopped.Content.ReadAsStringAsync());
        }

        await Eventually.TrueAsync(async () => (await gateway.PostAsync("/functions/hello", Json("{}"))).StatusCode == HttpStatusCode.NotFound,
            "the stopped deployment leaves the standalone gateway's routes", Bound, cluster.Logs);
    }
}
