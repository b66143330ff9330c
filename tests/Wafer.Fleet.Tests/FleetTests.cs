using System.Diagnostics;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>
/// An orchestrator and three runtimes as real processes, joined through a real Mosquitto with a password: deploy,
/// SIGKILL of a runtime, drain, broker restart and orchestrator restart. Bounds are loose (a shared 2-core machine);
/// the measured times are printed.
/// </summary>
[Trait("Category", "Fleet")]
public sealed class FleetTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static void Report(string line)
    {
        Console.WriteLine("fleet: " + line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
    }

    private static async Task<string> CallUntilHelloAsync(string runtimeUrl, string plugin, TimeSpan within, FleetCluster cluster)
    {
        string? result = null;
        await Eventually.TrueAsync(async () => (result = await FleetCluster.CallHelloAsync(runtimeUrl, plugin)) is not null,
            $"{plugin} answers on {runtimeUrl}", within, cluster.Logs);
        return result!;
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Deploy_ReplicaCallableOnARuntimeProcess()
    {
        await using var cluster = await FleetCluster.StartAsync();
        var times = new List<(double Post, double Running, double Total)>();
        for (var i = 1; i <= 5; i++)
        {
            var name = $"hello-{i}";
            var clock = Stopwatch.StartNew();
            await cluster.DeployHelloAsync(name, replicas: 1);
            var posted = clock.Elapsed.TotalMilliseconds;
            var module = Assert.Single(await cluster.WaitForRunningAsync(name, 1, Bound));
            var running = clock.Elapsed.TotalMilliseconds;
            var result = await CallUntilHelloAsync(module.GetProperty("runtimeUrl").GetString()!, name, Bound, cluster);
            times.Add((posted, running, clock.Elapsed.TotalMilliseconds));
            Report($"  {name}: POST {posted:0} ms, running {running:0} ms, first call answered {clock.Elapsed.TotalMilliseconds:0} ms");
            Assert.Equal("Hello, world!", result);
            Assert.True(clock.Elapsed < Bound, $"deploy to first call took {FleetCluster.Elapsed(clock)}");
        }

        var p50 = times.OrderBy(t => t.Total).ElementAt(times.Count / 2);
        Report($"deploy -> first successful call over 5 deployments: p50 {p50.Total:0} ms (POST answered at {p50.Post:0} ms, "
               + $"running at {p50.Running:0} ms), min {times.Min(t => t.Total):0} ms, max {times.Max(t => t.Total):0} ms");
        var (code, output) = await WaferProcess.RunAsync(TimeSpan.FromSeconds(60),
            "deploy", "--server", cluster.Api.BaseAddress!.ToString(), Repository.Guest("hello.wasm"), "--name", "via-cli", "--replicas", "2", "--allow-shadowing");
        Assert.True(code == 0, output);
        Assert.Contains("via-cli is running", output);
        var (refused, why) = await WaferProcess.RunAsync(TimeSpan.FromSeconds(60),
            "deploy", "--server", cluster.Api.BaseAddress!.ToString(), Repository.Guest("hello.wafer.json"));
        Assert.Equal(2, refused);
        Assert.Contains("not a .wasm file", why);

        var spread = (await cluster.GetJsonAsync("/api/modules")).GetProperty("modules").EnumerateArray().Select(m => m.GetProperty("parent").GetString()).Distinct();
        Assert.Equal(3, spread.Count());
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Sigkill_RuntimeHostingAReplica_ServingElsewhereWithinBound()
    {
        await using var cluster = await FleetCluster.StartAsync();
        await cluster.DeployHelloAsync("web", replicas: 2);
        var before = await cluster.WaitForRunningAsync("web", 2, Bound);
        var victimId = before[0].GetProperty("parent").GetString()!;
        var victimName = before[0].GetProperty("runtimeName").GetString()!;
        var survivors = before.Select(m => m.GetProperty("parent").GetString()).ToHashSet();

        var clock = Stopwatch.StartNew();
        cluster.Kill(cluster.Runtimes[victimName]);
        var after = await cluster.WaitForRunningAsync("web", 2, Bound, running => running.All(m => m.GetProperty("parent").GetString() != victimId));
        var moved = after.Single(m => !survivors.Contains(m.GetProperty("parent").GetString()));
        var result = await CallUntilHelloAsync(moved.GetProperty("runtimeUrl").GetString()!, "web", Bound, cluster);
        clock.Stop();

        Report($"SIGKILL of {victimName} -> its replica serving on {moved.GetProperty("runtimeName").GetString()}: {FleetCluster.Elapsed(clock)} (target 3 s)");
        Assert.Equal("Hello, world!", result);
        Assert.True(clock.Elapsed < Bound, $"took {FleetCluster.Elapsed(clock)}");
        var runtime = await cluster.GetJsonAsync($"/api/runtimes/{victimId}");
        Assert.False(runtime.GetProperty("alive").GetBoolean());
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Drain_ModulesMoveThenTheRuntimeExits()
    {
        await using var cluster = await FleetCluster.StartAsync();
        await cluster.DeployHelloAsync("web", replicas: 2);
        var before = await cluster.WaitForRunningAsync("web", 2, Bound);
        var drainedId = before[0].GetProperty("parent").GetString()!;
        var drained = cluster.Runtimes[before[0].GetProperty("runtimeName").GetString()!];

        var clock = Stopwatch.StartNew();
        using var response = await cluster.Api.PostAsync($"/api/runtimes/{drainedId}/drain", null);
        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);

        Assert.True(await drained.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the drained runtime did not exit\n" + cluster.Logs());
        Report($"drain of {drained.Name} -> replica moved and the process exited ({drained.ExitCode}): {FleetCluster.Elapsed(clock)}");
        Assert.Equal(0, drained.ExitCode);
        var after = await cluster.WaitForRunningAsync("web", 2, Bound, running => running.All(m => m.GetProperty("parent").GetString() != drainedId));
        foreach (var module in after)
        {
            Assert.Equal("Hello, world!", await CallUntilHelloAsync(module.GetProperty("runtimeUrl").GetString()!, "web", Bound, cluster));
        }

        var runtime = await cluster.GetJsonAsync($"/api/runtimes/{drainedId}");
        Assert.True(runtime.GetProperty("shutdownSent").GetBoolean());
        Assert.False(runtime.GetProperty("alive").GetBoolean());
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task BrokerRestart_RuntimesReconnect_NothingLost()
    {
        // A broker of the test's own (the shared one is never stopped), with a shared user and no fleet token.
        await using var mosquitto = await Mosquitto.StartAsync(new Dictionary<string, string> { ["wafer"] = "wafer-test" }, acl: false);
        await using var cluster = await FleetCluster.StartAsync(brokerUrl: $"mqtt://wafer:wafer-test@127.0.0.1:{mosquitto.Port}");
        await cluster.DeployHelloAsync("web", replicas: 2);
        var before = (await cluster.WaitForRunningAsync("web", 2, Bound)).Select(m => m.GetProperty("uuid").GetString()).Order().ToList();

        await mosquitto.StopGracefullyAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await mosquitto.StartAgainAsync();

        var clock = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () => (await cluster.Api.GetAsync("/readyz")).IsSuccessStatusCode, "the orchestrator reconnects", TimeSpan.FromSeconds(30), cluster.Logs);
        await cluster.WaitForRuntimesAsync(3, TimeSpan.FromSeconds(30));
        var after = await cluster.WaitForRunningAsync("web", 2, TimeSpan.FromSeconds(30));
        Report($"broker restart -> fleet resynced in {FleetCluster.Elapsed(clock)}");

        Assert.Equal(before, after.Select(m => m.GetProperty("uuid").GetString()).Order().ToList());
        foreach (var module in after)
        {
            Assert.Equal("Hello, world!", await CallUntilHelloAsync(module.GetProperty("runtimeUrl").GetString()!, "web", Bound, cluster));
        }

        await cluster.DeployHelloAsync("later", replicas: 1);
        await cluster.WaitForRunningAsync("later", 1, Bound);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task OrchestratorRestart_StateRecovered_RuntimesResynced()
    {
        await using var cluster = await FleetCluster.StartAsync();
        var deployed = await cluster.DeployHelloAsync("web", replicas: 2);
        var before = (await cluster.WaitForRunningAsync("web", 2, Bound)).Select(m => m.GetProperty("uuid").GetString()).Order().ToList();

        cluster.Kill(cluster.Orchestrator);
        foreach (var module in before)
        {
            Assert.NotNull(module);
        }

        var clock = Stopwatch.StartNew();
        await cluster.StartOrchestratorAsync();
        await cluster.WaitForRuntimesAsync(3, TimeSpan.FromSeconds(30));
        var after = await cluster.WaitForRunningAsync("web", 2, TimeSpan.FromSeconds(30));
        Report($"orchestrator restart -> state recovered and runtimes resynced in {FleetCluster.Elapsed(clock)}");

        Assert.Equal(before, after.Select(m => m.GetProperty("uuid").GetString()).Order().ToList());
        var deployment = await cluster.GetJsonAsync("/api/deployments/web");
        Assert.Equal(deployed.GetProperty("hash").GetString(), deployment.GetProperty("hash").GetString());
        Assert.Equal(2, deployment.GetProperty("replicas").GetInt32());

        await cluster.DeployHelloAsync("web", replicas: 3);
        var scaled = await cluster.WaitForRunningAsync("web", 3, Bound);
        Assert.Equal(3, scaled.Select(m => m.GetProperty("parent").GetString()).Distinct().Count());
    }
}
