using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using Wafer.Protocol.Security;
using Wafer.Protocol.V1;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>
/// The fleet's control channel across real processes: a real Mosquitto of the test's own configured with the password
/// file and ACL that docs/security.md describes, the orchestrator's in-process broker with a token, and a broker
/// stopped gracefully (SIGTERM, which publishes every client's last will) while calls go through the gateway.
/// </summary>
[Trait("Category", "Fleet")]
public sealed class ControlChannelTests
{
    private const string Token = "control-channel-test-token";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static void Report(string line)
    {
        Console.WriteLine("control: " + line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
    }

    /// <summary>Runtime ids chosen ahead (the broker's password file names them) and every user's password from <c>wafer mqtt-password</c>.</summary>
    private static async Task<(Dictionary<string, string> Ids, Dictionary<string, string> Users)> FleetUsersAsync(int runtimes)
    {
        var ids = Enumerable.Range(1, runtimes).ToDictionary(i => $"rt-{i}", _ => Guid.NewGuid().ToString("D"));
        var users = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string[] member in ids.Values.Select(id => new[] { "--runtime", id }).Prepend(["--orchestrator"]))
        {
            var (code, output) = await WaferProcess.RunAsync(TimeSpan.FromSeconds(60), ["mqtt-password", .. member, "--token", Token]);
            Assert.True(code == 0, output);
            var line = output.Trim().Split(' ');
            users[line[0]] = line[1];
        }

        Assert.Equal(FleetKeys.BrokerPassword(Token, ids["rt-1"]), users[ids["rt-1"]]);
        return (ids, users);
    }

    private static async Task<IMqttClient> ConnectAsync(int port, string? user, string? password, string clientId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(clientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500);
        if (user is not null)
        {
            options.WithCredentials(user, password);
        }

        var result = await client.ConnectAsync(options.Build());
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException($"{result.ResultCode}: {result.ReasonString}");
        }

        return client;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task MosquittoWithPasswordFileAndAcl_FleetWorks_ARuntimeIsDeniedAnotherRuntimesTopics()
    {
        var (ids, users) = await FleetUsersAsync(2);
        await using var mosquitto = await Mosquitto.StartAsync(users);
        await using var cluster = await FleetCluster.StartAsync(runtimes: 2, token: Token, brokerUrl: mosquitto.Url, runtimeIds: ids);
        await cluster.DeployHelloAsync("web", replicas: 2);
        await cluster.WaitForRunningAsync("web", 2, Bound);
        var victimUrl = (await cluster.GetJsonAsync($"/api/runtimes/{ids["rt-2"]}")).GetProperty("url").GetString();

        // rt-1's own credentials (a token holder's machine compromised only as far as its broker password)
        using var intruder = await ConnectAsync(mosquitto.Port, ids["rt-1"], users[ids["rt-1"]], "intruder");
        var overheard = new ConcurrentQueue<string>();
        intruder.ApplicationMessageReceivedAsync += e =>
        {
            overheard.Enqueue(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        var forged = MessageCodec.Encode(MessageTypes.Announce, new AnnounceBody(ids["rt-2"], "rt-2", new Dictionary<string, string>(), new Capacity(1, 1, 1),
            ["functions"], "1.0.0", "http://127.0.0.1:9", 1, []));
        var announce = await intruder.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.Default.Announce(ids["rt-2"])).WithPayload(forged)
            .WithRetainFlag(true).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        var command = await intruder.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.Default.Commands(ids["rt-2"]))
            .WithPayload(MessageCodec.Encode(MessageTypes.Shutdown, new ShutdownBody("bye"))).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        // Mosquitto grants a subscription and filters what it delivers by the read rules: nothing of rt-2's may arrive.
        await intruder.SubscribeAsync(Topics.Default.Commands(ids["rt-2"]), MqttQualityOfServiceLevel.AtLeastOnce);
        await intruder.SubscribeAsync("realm/wafer/v1/#", MqttQualityOfServiceLevel.AtLeastOnce);
        var anonymous = await Assert.ThrowsAsync<InvalidOperationException>(() => ConnectAsync(mosquitto.Port, null, null, "anonymous"));
        await cluster.DeployHelloAsync("other", replicas: 2); // create_module to rt-1 and to rt-2
        await cluster.WaitForRunningAsync("other", 2, Bound);
        Report($"mosquitto: forged announce {announce.ReasonCode}, command to rt-2 {command.ReasonCode}, anonymous {anonymous.Message}; "
               + $"the intruder received {string.Join(", ", overheard.Distinct())}");

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, announce.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, command.ReasonCode);
        Assert.StartsWith("NotAuthorized", anonymous.Message, StringComparison.Ordinal);
        Assert.Contains(Topics.Default.Commands(ids["rt-1"]), overheard); // its own commands: allowed, so the rule is what stops the rest
        Assert.DoesNotContain(overheard, topic => topic.Contains(ids["rt-2"], StringComparison.Ordinal));

        // The fleet is untouched and works: rt-2 keeps its address, both replicas answer through the gateway.
        await Task.Delay(TimeSpan.FromSeconds(1)); // what the broker denied would have arrived by now
        Assert.Equal(victimUrl, (await cluster.GetJsonAsync($"/api/runtimes/{ids["rt-2"]}")).GetProperty("url").GetString());
        Assert.False(cluster.Runtimes["rt-2"].HasExited);
        var answered = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 20; i++)
        {
            using var response = await cluster.Api.PostAsync("/functions/web/hello", Json("{}"));
            Assert.Equal("""{"result":"Hello, world!"}""", await response.Content.ReadAsStringAsync());
            answered.Add(response.Headers.GetValues("X-Wafer-Runtime").Single());
        }

        Assert.Equal(["rt-1", "rt-2"], answered.Order(StringComparer.Ordinal));
        var refusals = cluster.Orchestrator.Output.Split('\n').Where(line => line.Contains("refused", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(refusals.Count == 0, "the orchestrator refused: " + string.Join("\n", refusals));
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task BrokerStoppedWithSigtermUnderLoad_CallsKeepSucceeding_ARuntimeThatDiesMeanwhileStillLeaves()
    {
        var (ids, users) = await FleetUsersAsync(3);
        await using var mosquitto = await Mosquitto.StartAsync(users);
        await using var cluster = await FleetCluster.StartAsync(runtimes: 3, token: Token, brokerUrl: mosquitto.Url, runtimeIds: ids);
        await cluster.DeployHelloAsync("web", replicas: 2);
        var hosts = (await cluster.WaitForRunningAsync("web", 2, Bound)).Select(m => m.GetProperty("runtimeName").GetString()!).ToHashSet();
        var idle = ids.Keys.Single(name => !hosts.Contains(name));
        await Eventually.TrueAsync(async () => (await cluster.Api.PostAsync("/functions/hello", Json("{}"))).IsSuccessStatusCode, "the gateway routes web", Bound, cluster.Logs);

        // 50 calls a second through the orchestrator's gateway, from before the stop until after the broker is back.
        var calls = new ConcurrentQueue<(double AtMs, bool Ok, string What)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        using var client = new HttpClient { BaseAddress = cluster.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var inFlight = new List<Task>();
        var load = Task.Run(async () =>
        {
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
            while (await tick.WaitForNextTickAsync(CancellationToken.None) && !stop.IsCancellationRequested)
            {
                var at = clock.Elapsed.TotalMilliseconds;
                lock (inFlight)
                {
                    inFlight.Add(Task.Run(async () =>
                    {
                        try
                        {
                            using var response = await client.PostAsync("/functions/hello", Json("{}"));
                            var body = await response.Content.ReadAsStringAsync();
                            calls.Enqueue((at, response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode} {body}"));
                        }
                        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                        {
                            calls.Enqueue((at, false, ex.Message));
                        }
                    }));
                }
            }
        });

        await Task.Delay(TimeSpan.FromSeconds(3));
        var stoppedAt = clock.Elapsed.TotalMilliseconds;
        await mosquitto.StopGracefullyAsync();
        await Task.Delay(TimeSpan.FromSeconds(5));
        var killedAt = clock.Elapsed.TotalMilliseconds;
        cluster.Kill(cluster.Runtimes[idle]); // dies while nothing can be heard over the broker
        await Eventually.TrueAsync(async () => !(await cluster.GetJsonAsync($"/api/runtimes/{ids[idle]}")).GetProperty("alive").GetBoolean(),
            $"{idle}, killed while the broker is down, is taken offline", TimeSpan.FromSeconds(15), cluster.Logs);
        var idleOfflineAt = clock.Elapsed.TotalMilliseconds;
        var duringOutage = (await cluster.GetJsonAsync("/api/runtimes?alive=true")).GetProperty("runtimes").EnumerateArray().ToList();
        var aliveDuringOutage = duringOutage.Select(r => r.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();
        await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, stoppedAt + 12_000 - clock.Elapsed.TotalMilliseconds)));
        var restartedAt = clock.Elapsed.TotalMilliseconds;
        await mosquitto.StartAgainAsync();
        await Eventually.TrueAsync(async () => (await cluster.Api.GetAsync("/readyz")).IsSuccessStatusCode, "the orchestrator is back on the broker", Bound, cluster.Logs);
        await cluster.WaitForRuntimesAsync(2, Bound);
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await load;
        Task[] pending;
        lock (inFlight)
        {
            pending = [.. inFlight];
        }

        await Task.WhenAll(pending);

        var all = calls.ToArray();
        var failed = all.Where(c => !c.Ok).ToArray();
        var during = all.Where(c => c.AtMs >= stoppedAt && c.AtMs < restartedAt).ToArray();
        var after = all.Where(c => c.AtMs >= restartedAt).ToArray();
        Report($"{all.Length} calls at 50/s; broker stopped (SIGTERM) at {stoppedAt:0} ms, {idle} killed at {killedAt:0} ms and offline "
               + $"{idleOfflineAt - killedAt:0} ms later, broker started again at {restartedAt:0} ms; {failed.Length} failed "
               + $"({during.Count(c => !c.Ok)} of {during.Length} while it was down, {after.Count(c => !c.Ok)} of {after.Length} after)");
        foreach (var failure in failed.Take(10))
        {
            Report($"  failed call started at {failure.AtMs:0} ms: {failure.What}");
        }

        Assert.Equal(hosts.Order(StringComparer.Ordinal), aliveDuringOutage);
        Assert.All(duringOutage, r => Assert.Equal(JsonValueKind.String, r.GetProperty("controlLostAt").ValueKind)); // kept on evidence, not on the broker's word
        Assert.True(during.Length > 400, $"only {during.Length} calls while the broker was down");
        Assert.True(after.Length > 100, $"only {after.Length} calls after the broker came back");
        Assert.True(failed.Length <= 3, $"{failed.Length} calls failed");
        var runtimes = (await cluster.GetJsonAsync("/api/runtimes?alive=true")).GetProperty("runtimes").EnumerateArray()
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => (r.GetProperty("state").GetString(), r.GetProperty("controlLostAt").ValueKind));
        Assert.Equal(hosts.ToDictionary(h => h, _ => ((string?)"online", JsonValueKind.Null)), runtimes); // back on the control channel
        Assert.Equal(2, (await cluster.WaitForRunningAsync("web", 2, Bound)).Count);
    }

    [Fact]
    public async Task InProcessBrokerWithToken_RuntimeWithoutIt_RefusedNamingTheFix_AnonymousClientsToo()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 1, token: Token, inProcessBroker: true);

        var stranger = cluster.StartRuntime("no-token", withToken: false);
        await Eventually.TrueAsync(() => Task.FromResult(stranger.Output.Contains("start this runtime with --token", StringComparison.Ordinal)),
            "the runtime without the token says how to join", Bound, cluster.Logs);
        var anonymous = await Assert.ThrowsAsync<InvalidOperationException>(() => ConnectAsync(cluster.BrokerPort!.Value, null, null, "wafer-runtime-" + Guid.NewGuid()));

        Report("runtime without the token: " + stranger.Output.Split('\n').First(l => l.Contains("--token", StringComparison.Ordinal)).Trim());
        Assert.Contains("BadUserNameOrPassword", stranger.Output, StringComparison.Ordinal);
        Assert.StartsWith("BadUserNameOrPassword: this fleet has a token", anonymous.Message, StringComparison.Ordinal);
        Assert.Equal(["rt-1"], (await cluster.GetJsonAsync("/api/runtimes")).GetProperty("runtimes").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        await cluster.DeployHelloAsync("web", replicas: 1);
        await cluster.WaitForRunningAsync("web", 1, Bound);
    }
}
