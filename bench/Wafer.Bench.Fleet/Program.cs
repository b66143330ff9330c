using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Wafer.Bench.Fleet;

// Simulated fleet against a real orchestrator: N runtimes announce and keep alive, deployments are posted until
// every replica runs, then the orchestrator's CPU, memory and reconcile lag are measured over a steady window.
// Bounded by --timeout; stops by itself. Results: docs/benchmarks.md.
SimOptions options;
try
{
    options = SimOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

using var deadline = new CancellationTokenSource(options.Timeout);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    deadline.Cancel();
};
var root = FindRoot();
var waferDll = Path.GetFullPath(options.Wafer ?? Path.Combine(root, ".artifacts", "cli", "wafer.dll"));
var wasmPath = Path.GetFullPath(options.Wasm ?? Path.Combine(
    Environment.GetEnvironmentVariable("WAFER_TEST_GUESTS") is { Length: > 0 } guests ? guests : Path.Combine(root, "tests", "guests", "out"), "hello.wasm"));
foreach (var file in new[] { waferDll, wasmPath })
{
    if (!File.Exists(file))
    {
        Console.Error.WriteLine($"{file} is missing (run ./wafer --help once to build the CLI; scripts/test.sh builds the test guests)");
        return 2;
    }
}

var manifestPath = Path.ChangeExtension(wasmPath, null) + ".wafer.json";
var manifest = File.Exists(manifestPath) ? JsonDocument.Parse(File.ReadAllText(manifestPath)).RootElement : JsonDocument.Parse("{}").RootElement;
Log($"{options.Runtimes} runtimes x {options.MaxModules} slots, {options.Deployments} deployments x {options.Replicas} replicas = {options.Modules} modules, "
    + $"keepalive {options.Keepalive.TotalSeconds:0.#}s; {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}");

var ok = true;
await using var orchestrator = OrchestratorProcess.Start(waferDll);
using var api = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{orchestrator.Port}"), Timeout = TimeSpan.FromSeconds(60) };
var counters = new SimCounters();
var sims = new List<SimRuntime>();
try
{
    await UntilAsync(async () =>
    {
        try
        {
            return (await api.GetAsync("/readyz", deadline.Token)).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
    }, "the orchestrator is ready", TimeSpan.FromSeconds(60));
    Log($"orchestrator pid {orchestrator.Pid} on {api.BaseAddress}, broker 127.0.0.1:{orchestrator.BrokerPort}, log {orchestrator.LogPath}; "
        + $"{waferDll}: {BuildKind.Describe(waferDll)}");

    var clock = Stopwatch.StartNew();
    for (var i = 0; i < options.Runtimes; i += 50)
    {
        var group = Enumerable.Range(i, Math.Min(50, options.Runtimes - i))
            .Select(n => new SimRuntime(n, "127.0.0.1", orchestrator.BrokerPort, options, counters)).ToList();
        sims.AddRange(group);
        await Task.WhenAll(group.Select(s => s.StartAsync(deadline.Token)));
    }

    await UntilAsync(async () => (await StatsAsync()).Fleet.RuntimesAlive == options.Runtimes, $"{options.Runtimes} runtimes are online", TimeSpan.FromMinutes(2));
    Log($"{options.Runtimes} runtimes connected and online in {clock.Elapsed.TotalSeconds:0.0} s");

    using var upload = new ByteArrayContent(await File.ReadAllBytesAsync(wasmPath, deadline.Token));
    upload.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
    using var uploaded = await api.PostAsync("/api/artifacts", upload, deadline.Token);
    uploaded.EnsureSuccessStatusCode();
    var hash = (await uploaded.Content.ReadFromJsonAsync<JsonElement>(deadline.Token)).GetProperty("hash").GetString()!;

    if (options.Warmup > 0)
    {
        // the same work on a smaller scale first, then removed: the burst below then meets code the runtime has
        // already compiled at its final tier, as a long-running orchestrator's would be
        clock.Restart();
        var warmCpu0 = orchestrator.CpuTime();
        await PostAllAsync("warm", options.Warmup, hash);
        await UntilAsync(async () => (await StatsAsync()).Fleet.ModulesRunning == options.Warmup * options.Replicas, "the warm-up modules run", TimeSpan.FromMinutes(5));
        await Parallel.ForAsync(0, options.Warmup, new ParallelOptions { MaxDegreeOfParallelism = options.Parallel, CancellationToken = deadline.Token },
            async (i, token) => (await api.DeleteAsync($"/api/deployments/warm-{i:D5}", token)).EnsureSuccessStatusCode());
        await UntilAsync(async () => (await StatsAsync()).Fleet is { ModulesRunning: 0, ModulesPending: 0 }, "the warm-up modules are gone", TimeSpan.FromMinutes(5));
        Log($"warm-up: {options.Warmup} deployments posted, running and deleted in {clock.Elapsed.TotalSeconds:0.0} s, "
            + $"{(orchestrator.CpuTime() - warmCpu0).TotalSeconds:0.0} s of orchestrator CPU");
        await Task.Delay(TimeSpan.FromSeconds(2), deadline.Token); // background compilation settles
    }

    clock.Restart();
    var burstCpu0 = orchestrator.CpuTime();
    var postTimes = await PostAllAsync("sim", options.Deployments, hash);
    var posted = clock.Elapsed;
    Log($"{options.Deployments} deployments posted in {posted.TotalSeconds:0.0} s (POST p50 {postTimes[postTimes.Length / 2]:0} ms, "
        + $"p99 {postTimes[(int)(postTimes.Length * 0.99)]:0} ms)");
    await UntilAsync(async () => (await StatsAsync()).Fleet.ModulesRunning == options.Modules, $"{options.Modules} modules run", TimeSpan.FromMinutes(5));
    var allRunning = clock.Elapsed;
    var burstCpu = orchestrator.CpuTime() - burstCpu0;
    var afterDeploy = await StatsAsync();
    Log($"all {options.Modules} modules running {allRunning.TotalSeconds:0.0} s after the first POST; reconcile lag so far: "
        + $"max {afterDeploy.Reconciler.LagMaxSinceStartMs:0.0} ms; CPU so far {orchestrator.CpuTime().TotalSeconds:0.0} s, of which the burst "
        + $"{burstCpu.TotalSeconds:0.0} s ({burstCpu.TotalMilliseconds / options.Deployments:0.00} ms per deployment); RSS {orchestrator.RssMb():0} MiB; "
        + $"{afterDeploy.Reconciler.Batches} batches"
        + (afterDeploy.Scheduling is { } passes ? $", {passes.Passes} scheduling passes ({passes.FullPasses} full) reconciling {passes.Deployments} deployments" : ""));

    // steady state: only keepalives and ticks from here on
    await Task.Delay(options.Keepalive * 2, deadline.Token);
    var (cpu0, stats0, wall0, self0) = (orchestrator.CpuTime(), await StatsAsync(), Stopwatch.GetTimestamp(), Process.GetCurrentProcess().TotalProcessorTime);
    var samples = new List<(double Cpu, double Rss)>();
    var previous = (Cpu: cpu0, At: wall0);
    while (Stopwatch.GetElapsedTime(wall0) < options.Steady)
    {
        await Task.Delay(TimeSpan.FromSeconds(5), deadline.Token);
        var (cpu, at) = (orchestrator.CpuTime(), Stopwatch.GetTimestamp());
        samples.Add(((cpu - previous.Cpu).TotalSeconds / Stopwatch.GetElapsedTime(previous.At, at).TotalSeconds * 100, orchestrator.RssMb()));
        previous = (cpu, at);
    }

    var (cpu1, stats1, wall) = (orchestrator.CpuTime(), await StatsAsync(), Stopwatch.GetElapsedTime(wall0));
    var self = Process.GetCurrentProcess().TotalProcessorTime - self0;
    var cpuPercent = (cpu1 - cpu0).TotalSeconds / wall.TotalSeconds * 100;
    var busyPercent = (stats1.Reconciler.BusyMs - stats0.Reconciler.BusyMs) / wall.TotalMilliseconds * 100;
    var events = stats1.Reconciler.Events - stats0.Reconciler.Events;
    ok = stats1.Fleet.ModulesRunning == options.Modules && stats1.Fleet.RuntimesAlive == options.Runtimes && stats1.Reconciler.InboxDepth < 100;
    Log($"steady {wall.TotalSeconds:0} s: orchestrator CPU {cpuPercent:0.0}% of one core (5 s samples max {samples.Max(s => s.Cpu):0.0}%), "
        + $"RSS {samples.Max(s => s.Rss):0} MiB; reconciler busy {busyPercent:0.00}%, {events / wall.TotalSeconds:0} events/s, "
        + $"lag p50 {stats1.Reconciler.LagP50Ms:0.00} ms, p99 {stats1.Reconciler.LagP99Ms:0.00} ms, max {stats1.Reconciler.LagMaxMs:0.00} ms "
        + $"(last {Math.Min(stats1.Reconciler.Events, 4096)} events); inbox depth {stats1.Reconciler.InboxDepth}; "
        + $"simulator CPU {self.TotalSeconds / wall.TotalSeconds * 100:0.0}%");
    Log($"fleet at the end: {stats1.Fleet.RuntimesAlive}/{options.Runtimes} runtimes alive, {stats1.Fleet.ModulesRunning} running, "
        + $"{stats1.Fleet.ModulesPending} pending, {stats1.Fleet.ModulesFailed} failed; simulated: {counters.Keepalives} keepalives, "
        + $"{counters.Creates} creates, {counters.Deletes} deletes, {counters.Announces} re-announcements, {counters.PublishFailures} failed publishes");
    foreach (var path in new[] { "/api/runtimes", "/api/modules", "/api/deployments" })
    {
        var times = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await api.GetAsync(path, HttpCompletionOption.ResponseContentRead, deadline.Token);
            response.EnsureSuccessStatusCode();
            times.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        times.Sort();
        Log($"GET {path} (the whole fleet): median {times[3]:0} ms, max {times[^1]:0} ms of 7");
    }
    Log(ok ? "PASS: the orchestrator kept up" : "FAIL: the orchestrator fell behind or lost runtimes/modules");
}
catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or HttpRequestException or TimeoutException)
{
    Log($"FAIL: {ex.Message} (orchestrator log: {orchestrator.LogPath})");
    ok = false;
}
finally
{
    await Task.WhenAll(sims.Select(s => s.DisposeAsync().AsTask()));
}

return ok ? 0 : 1;

// Posts COUNT deployments of the uploaded plugin named PREFIX-00000.., --parallel at a time; the sorted request times in ms.
async Task<double[]> PostAllAsync(string prefix, int count, string hash)
{
    var times = new double[count];
    await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = options.Parallel, CancellationToken = deadline.Token },
        async (i, token) =>
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await api.PostAsJsonAsync("/api/deployments",
                new { name = $"{prefix}-{i:D5}", hash, manifest, replicas = options.Replicas }, token);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"POST /api/deployments answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(token)}");
            }

            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
    Array.Sort(times);
    return times;
}

async Task<Stats> StatsAsync() =>
    await api.GetFromJsonAsync<Stats>("/api/stats", JsonSerializerOptions.Web, deadline.Token) ?? throw new InvalidOperationException("empty /api/stats");

async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan within)
{
    var until = Stopwatch.StartNew();
    while (!await condition())
    {
        if (orchestrator.HasExited)
        {
            throw new InvalidOperationException($"the orchestrator exited while waiting until {what}");
        }

        if (until.Elapsed > within)
        {
            throw new TimeoutException($"timed out after {within.TotalSeconds:0} s waiting until {what}");
        }

        await Task.Delay(100, deadline.Token);
    }
}

static void Log(string line) => Console.WriteLine($"{DateTime.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture)} {line}");

static string FindRoot()
{
    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Wafer.slnx")))
            {
                return dir.FullName;
            }
        }
    }

    return Environment.CurrentDirectory;
}

internal sealed record Stats(ReconcilerStats Reconciler, FleetStats Fleet, SchedulingStats? Scheduling);

/// <summary>Absent from orchestrators that predate incremental passes.</summary>
internal sealed record SchedulingStats(long Passes, long FullPasses, long Deployments);

internal sealed record ReconcilerStats(long Events, long Batches, int InboxDepth, double BusyMs, double LagP50Ms, double LagP99Ms, double LagMaxMs, double LagMaxSinceStartMs);

internal sealed record FleetStats(long Version, int Deployments, int RuntimesAlive, int Runtimes, int ModulesPending, int ModulesRunning, int ModulesFailed, int ModulesDeleting);
