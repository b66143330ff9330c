using MQTTnet;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Protocol.Security;

namespace Wafer.ControlPlane.Tests.Mqtt;

/// <summary>
/// MQTT triggers on the in-process broker with the fleet token (docs/security.md, "Trigger topics"): the orchestrator
/// and a runtime's trigger client read and write user topics, never the broker's or a filter matching every topic.
/// </summary>
public sealed class TriggerTopicPermissionTests
{
    private const string Token = "fleet-s3cret";
    private static readonly string A = Guid.NewGuid().ToString("D");

    private static string Url(OrchestratorHost host, string user) =>
        $"mqtt://{user}:{Uri.EscapeDataString(FleetKeys.BrokerPassword(Token, user))}@127.0.0.1:{host.Options.BrokerPort}";

    [Fact]
    public async Task RuntimeTriggerClient_ReadsAndWritesUserTopics_NotReservedOnes()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = Token);
        await using var triggers = await MqttProbe.ConnectAsync(Url(host, A), b => b.WithClientId("wafer-runtime-" + A + "-triggers"));

        var userTopic = await triggers.SubscribeAsync("sensors/+/reading");
        var everything = await triggers.SubscribeAsync("#");
        var broker = await triggers.SubscribeAsync("$SYS/#");
        var answer = await triggers.PublishAsync("sensors/recorded", "{}"u8.ToArray());
        var control = await triggers.PublishAsync("wafer/v1/orchestrator/status", "{}"u8.ToArray());

        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(userTopic.Items).ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(everything.Items).ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(broker.Items).ResultCode);
        Assert.True(answer.IsSuccess, answer.ReasonCode.ToString());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, control.ReasonCode);
    }

    [Fact]
    public async Task RuntimeTriggerClient_CannotReachTheRealmsOwnTopics()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = Token);
        await using var triggers = await MqttProbe.ConnectAsync(Url(host, A), b => b.WithClientId("wafer-runtime-" + A + "-triggers"));

        // The realm's protocol and SilverLine topics are not user topics, whatever a trigger names.
        foreach (var topic in new[] { "realm/wafer/v1/orchestrator/status", $"realm/wafer/v1/runtimes/{Guid.NewGuid():D}/announce", "realm/proc/control" })
        {
            var published = await triggers.PublishAsync(topic, "{}"u8.ToArray());
            Assert.True(published.ReasonCode == MqttClientPublishReasonCode.NotAuthorized, $"{topic}: {published.ReasonCode}");
        }

        foreach (var filter in new[] { "realm/#", "realm/+/v1/runtimes/#", "realm/wafer/v1/runtimes/+/commands", "+/proc/control" })
        {
            var subscribed = await triggers.SubscribeAsync(filter);
            Assert.True(Assert.Single(subscribed.Items).ResultCode == MqttClientSubscribeResultCode.NotAuthorized, $"{filter}: {subscribed.Items.Single().ResultCode}");
        }

        var own = await triggers.SubscribeAsync("realm-sensors/#"); // a user topic that only looks like the realm
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(own.Items).ResultCode);
    }

    [Fact]
    public async Task Orchestrator_ReadsAndWritesUserTopics()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = Token);
        await using var orchestrator = await MqttProbe.ConnectAsync(Url(host, "orchestrator"));

        var subscribed = await orchestrator.SubscribeAsync("orders/#");
        var published = await orchestrator.PublishAsync("orders/done", "{}"u8.ToArray());

        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(subscribed.Items).ResultCode);
        Assert.True(published.IsSuccess, published.ReasonCode.ToString());
    }

    [Fact]
    public async Task RuntimeClientId_OnlyItsOwnOrItsTriggers()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = Token);

        var other = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            MqttProbe.ConnectAsync(Url(host, A), b => b.WithClientId("wafer-runtime-" + A + "-other")));

        Assert.Contains("ClientIdentifierNotValid", other.Message, StringComparison.Ordinal);
    }
}
