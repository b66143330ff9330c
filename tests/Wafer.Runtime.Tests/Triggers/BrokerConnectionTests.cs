using System.Collections.Concurrent;
using Wafer.Protocol.Transport;
using Wafer.Runtime.Tests.Agent;
using Wafer.Tests.Shared;
using Wafer.Triggers;

namespace Wafer.Runtime.Tests.Triggers;

/// <summary>
/// <see cref="BrokerConnection"/>, the one keep-connected loop of MQTT triggers and channels, against an in-process
/// broker that is stopped and started again empty (no sessions, no subscriptions): the loop reports the failed attempts
/// with their backoff, connects again, and subscribes again to what its owner wants, so messages flow as before.
/// </summary>
public sealed class BrokerConnectionTests
{
    private const string Topic = "sensors/+/temperature";

    [Fact]
    public async Task BrokerConnection_AfterTheBrokerRestarts_ConnectsAgainAndResubscribes()
    {
        await using var broker = await TestBroker.StartAsync();
        Assert.True(BrokerAddress.TryParse(broker.Url, out var address, out var error), error);
        var events = new ConcurrentQueue<string>();
        var received = new ConcurrentQueue<string>();
        await using var connection = new BrokerConnection(
            new TriggerBroker(address, null, null, null, "connection-test-" + Guid.NewGuid().ToString("N")[..8]),
            new BrokerConnectionEvents(
                (_, _) => events.Enqueue("connected"),
                (_, _, delayMs) => events.Enqueue($"failed, next try in {delayMs} ms"),
                (topic, code) => events.Enqueue($"refused {topic}: {code}"),
                topic => events.Enqueue("subscribed " + topic)),
            () => [Topic]);
        connection.Client.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue(e.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        connection.Start();
        string Log() => string.Join('\n', events);

        await Eventually.TrueAsync(() => connection.IsSubscribed([Topic]), "the connection subscribes", context: Log);
        await PublishAsync(broker, "sensors/first/temperature");
        await Eventually.TrueAsync(() => received.Contains("sensors/first/temperature"), "a message arrives", context: Log);

        await broker.StopAsync();
        await Eventually.TrueAsync(() => events.Any(e => e.StartsWith("failed", StringComparison.Ordinal)), "a failed attempt is reported", TimeSpan.FromSeconds(30), Log);
        await broker.StartAgainAsync();

        await Eventually.TrueAsync(() => connection.IsConnected && connection.IsSubscribed([Topic]), "the connection is back and subscribed", TimeSpan.FromSeconds(60), Log);
        await Eventually.TrueAsync(async () =>
        {
            await PublishAsync(broker, "sensors/second/temperature");
            return received.Contains("sensors/second/temperature");
        }, "a message after the restart arrives", TimeSpan.FromSeconds(30), Log, TimeSpan.FromMilliseconds(200));

        Assert.Equal(2, events.Count(e => e == "connected"));
        Assert.Equal(2, events.Count(e => e == "subscribed " + Topic));
        Assert.Contains("failed, next try in 1000 ms", events);
        Assert.DoesNotContain(events, e => e.StartsWith("refused", StringComparison.Ordinal));
    }

    private static async Task PublishAsync(TestBroker broker, string topic)
    {
        await using var probe = await MqttProbe.ConnectAsync(broker.Url);
        await probe.PublishAsync(topic, "21.5");
    }
}
