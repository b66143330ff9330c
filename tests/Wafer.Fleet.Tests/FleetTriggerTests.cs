using System.Buffers;
using System.Diagnostics;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>
/// Triggers in a fleet of real processes: the orchestrator serves them and sends each call to one replica, so with two
/// replicas a schedule fires once per occurrence and a message is handled once, not once per replica.
/// </summary>
[Trait("Category", "Fleet")]
public sealed class FleetTriggerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static void Report(string line)
    {
        Console.WriteLine("triggers: " + line);
        TestContext.Current.TestOutputHelper?.WriteLine(line);
    }

    /// <summary>Jobs of plugin <paramref name="plugin"/> on every runtime of the fleet, counted by the runtimes themselves.</summary>
    private static async Task<int> CountJobsAsync(FleetCluster cluster, string plugin)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var total = 0;
        foreach (var runtime in (await cluster.GetJsonAsync("/api/runtimes")).GetProperty("runtimes").EnumerateArray())
        {
            var url = runtime.GetProperty("url").GetString()!;
            var jobs = JsonDocument.Parse(await client.GetStringAsync(url.TrimEnd('/') + "/jobs?limit=500")).RootElement;
            total += jobs.GetProperty("items").EnumerateArray().Count(j => j.GetProperty("plugin").GetString() == plugin);
        }

        return total;
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task CronTrigger_TwoReplicas_FiresOncePerOccurrence()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 2, inProcessBroker: true);
        await cluster.DeployWithManifestAsync("ticker", "c-job", replicas: 2, """
            { "name": "ticker", "type": "command", "limits": { "timeoutMs": 3000, "memoryMb": 16 },
              "triggers": [ { "cron": "* * * * * *", "job": { "args": ["hello"] } } ] }
            """);
        await cluster.WaitForRunningAsync("ticker", 2, Bound);
        await Eventually.TrueAsync(async () => await CountJobsAsync(cluster, "ticker") > 0, "the first firing", Bound, cluster.Logs);

        // Count the firings over a window: one a second fleet-wide, where one per replica would give two.
        var clock = Stopwatch.StartNew();
        var before = await CountJobsAsync(cluster, "ticker");
        await Task.Delay(TimeSpan.FromSeconds(6)); // the measured window itself: firings accrue at the schedule's pace
        var after = await CountJobsAsync(cluster, "ticker");
        var seconds = clock.Elapsed.TotalSeconds;
        var fired = after - before;
        Report($"{fired} firing(s) in {seconds:0.0} s with 2 replicas");
        Assert.InRange(fired, 2, (int)Math.Ceiling(seconds) + 1);
    }

    [Fact]
    public async Task MqttTrigger_TwoReplicas_EachMessageIsHandledOnce()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 2, inProcessBroker: true);
        var prefix = "fleet-tests/" + Guid.NewGuid().ToString("N")[..8];
        await cluster.DeployWithManifestAsync("greeter", "hello", replicas: 2, $$"""
            { "name": "greeter", "triggers": [ { "mqtt": "{{prefix}}/in/+", "function": "greet", "reply": "{{prefix}}/out", "errors": "{{prefix}}/errors" } ] }
            """);
        await cluster.WaitForRunningAsync("greeter", 2, Bound);

        using var client = new MqttClientFactory().CreateMqttClient();
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string Topic, string Payload)>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray())));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", cluster.BrokerPort!.Value)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithClientId("fleet-trigger-probe").Build());
        await client.SubscribeAsync(prefix + "/#", MqttQualityOfServiceLevel.AtLeastOnce);

        // The orchestrator subscribes once its routes have the deployment: publish until the first answer comes.
        await Eventually.TrueAsync(async () =>
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(prefix + "/in/probe").WithPayload("probe")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await Task.Delay(200);
            return received.Any(m => m.Topic == prefix + "/out");
        }, "the trigger answers", Bound, cluster.Logs);
        await Task.Delay(500);
        received.Clear();

        for (var i = 0; i < 20; i++)
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"{prefix}/in/{i}").WithPayload($"n{i}")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        await Eventually.TrueAsync(() => Task.FromResult(received.Count(m => m.Topic == prefix + "/out") >= 20), "20 answers", Bound, cluster.Logs);
        await Task.Delay(1000); // duplicates, if any, would come within this
        var answers = received.Where(m => m.Topic == prefix + "/out" && m.Payload != "Hello, probe!").Select(m => m.Payload).ToList();
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"Hello, n{i}!").Order(StringComparer.Ordinal), answers.Order(StringComparer.Ordinal));
        Assert.DoesNotContain(received, m => m.Topic == prefix + "/errors");
    }
}
