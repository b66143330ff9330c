using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using Wafer.Bench.Triggers;

// MQTT trigger round trip (docs/benchmarks.md, "MQTT triggers"): `wafer serve` with the hello guest, whose `greet` is
// a trigger on bench/in/+. A client publishes with an MQTT 5 response topic and correlation data and waits for the
// answer: first one message at a time (latency), then many in flight (messages/s). Two ways in: the plugins folder
// (the runtime serves the trigger) and a deployment (the orchestrator serves it and sends each call through its
// gateway to the replica). Bounded: --messages per phase, a 120 s deadline per phase.
var argsMap = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length ? args[x.i + 1] : "", StringComparer.Ordinal);
var root = FindRoot();
var waferDll = Path.GetFullPath(argsMap.GetValueOrDefault("wafer") ?? Path.Combine(root, "src", "Wafer.Cli", "bin", "Release", "net10.0", "wafer.dll"));
var guests = Environment.GetEnvironmentVariable("WAFER_TEST_GUESTS") is { Length: > 0 } g ? g : Path.Combine(root, "tests", "guests", "out");
var messages = int.Parse(argsMap.GetValueOrDefault("messages") ?? "2000", CultureInfo.InvariantCulture);
var inFlight = int.Parse(argsMap.GetValueOrDefault("inFlight") ?? "32", CultureInfo.InvariantCulture);
if (!File.Exists(waferDll))
{
    Console.Error.WriteLine($"{waferDll} is missing: dotnet build src/Wafer.Cli -c Release (or --wafer PATH)");
    return 2;
}

Console.WriteLine($"{Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Trim()}; {messages} messages per phase, {inFlight} in flight");
const string Manifest = """{ "name": "hello", "triggers": [ { "mqtt": "bench/in/+", "function": "greet", "maxConcurrent": 32 } ] }""";
foreach (var via in (argsMap.GetValueOrDefault("via") ?? "folder,deployment").Split(','))
{
    await using var serve = WaferServe.Start(waferDll, plugins =>
    {
        if (via == "folder")
        {
            File.Copy(Path.Combine(guests, "hello.wasm"), Path.Combine(plugins, "hello.wasm"));
            File.WriteAllText(Path.Combine(plugins, "hello.wafer.json"), Manifest);
        }
    });
    using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    await UntilAsync(async () => (await http.GetAsync($"http://127.0.0.1:{serve.OrchestratorPort}/readyz")).IsSuccessStatusCode, "wafer serve is ready");
    if (via == "deployment")
    {
        using var form = new MultipartFormDataContent();
        var wasm = new ByteArrayContent(File.ReadAllBytes(Path.Combine(guests, "hello.wasm")));
        wasm.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        form.Add(wasm, "plugin", "hello.wasm");
        form.Add(new StringContent(Manifest.Replace("\"hello\"", "\"greeter\"", StringComparison.Ordinal)), "manifest", "greeter.wafer.json");
        form.Add(new StringContent("greeter"), "name");
        form.Add(new StringContent("1"), "replicas");
        (await http.PostAsync($"http://127.0.0.1:{serve.OrchestratorPort}/api/deployments", form)).EnsureSuccessStatusCode();
    }

    using var client = new MqttClientFactory().CreateMqttClient();
    var waiting = new ConcurrentDictionary<long, TaskCompletionSource<string>>();
    client.ApplicationMessageReceivedAsync += e =>
    {
        if (e.ApplicationMessage.CorrelationData is { Length: 8 } id && waiting.TryRemove(BinaryPrimitives.ReadInt64BigEndian(id), out var done))
        {
            done.TrySetResult(Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray()));
        }

        return Task.CompletedTask;
    };
    await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", serve.BrokerPort)
        .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithClientId("bench-triggers").Build());
    await client.SubscribeAsync("bench/answers", MqttQualityOfServiceLevel.AtLeastOnce);
    long next = 0;

    async Task<double> RoundTripAsync(CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref next);
        var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        waiting[id] = done;
        var correlation = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(correlation, id);
        var started = Stopwatch.GetTimestamp();
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("bench/in/" + (id % 8)).WithPayload("n" + id)
            .WithResponseTopic("bench/answers").WithCorrelationData(correlation).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
        var answer = await done.Task.WaitAsync(cancellationToken);
        if (answer != $"Hello, n{id}!")
        {
            throw new InvalidOperationException($"message {id} answered '{answer}'");
        }

        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    // Until the first answer: the trigger is subscribed (the orchestrator subscribes once the replica is routed).
    await UntilAsync(async () =>
    {
        using var once = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await RoundTripAsync(once.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }, "the trigger answers");
    using (var warm = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
    {
        for (var i = 0; i < 200; i++)
        {
            await RoundTripAsync(warm.Token);
        }
    }

    var latencies = new List<double>(messages);
    using (var phase = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
    {
        for (var i = 0; i < messages; i++)
        {
            latencies.Add(await RoundTripAsync(phase.Token));
        }
    }

    latencies.Sort();
    var clock = Stopwatch.StartNew();
    using (var phase = new CancellationTokenSource(TimeSpan.FromSeconds(120)))
    {
        var sent = 0;
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            while (Interlocked.Increment(ref sent) <= messages)
            {
                await RoundTripAsync(phase.Token);
            }
        }));
    }

    var rate = messages / clock.Elapsed.TotalSeconds;
    Console.WriteLine(FormattableString.Invariant(
        $"via {via}: one at a time p50 {Percentile(latencies, 0.50):0.00} ms, p90 {Percentile(latencies, 0.90):0.00} ms, p99 {Percentile(latencies, 0.99):0.00} ms; {inFlight} in flight {rate:0} messages/s"));
}

return 0;

static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

static async Task UntilAsync(Func<Task<bool>> condition, string what)
{
    var deadline = DateTime.UtcNow.AddSeconds(60);
    while (true)
    {
        try
        {
            if (await condition())
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        if (DateTime.UtcNow > deadline)
        {
            throw new TimeoutException("timed out waiting until " + what);
        }

        await Task.Delay(100);
    }
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Wafer.slnx")))
        {
            return dir.FullName;
        }
    }

    return Directory.GetCurrentDirectory();
}
