using MQTTnet;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Protocol.Security;

namespace Wafer.ControlPlane.Tests.Mqtt;

/// <summary>
/// Program modules' channels on the in-process broker with the fleet token (docs/silverline.md, "Channels"): a
/// runtime's channel client connects beside its agent and reads and writes user topics, under the triggers' rule:
/// never the realm's own <c>wafer/</c> and <c>proc/</c> topics.
/// </summary>
public sealed class ChannelTopicPermissionTests
{
    private const string Token = "fleet-s3cret";
    private static readonly string A = Guid.NewGuid().ToString("D");

    private static string Url(OrchestratorHost host, string user) =>
        $"mqtt://{user}:{Uri.EscapeDataString(FleetKeys.BrokerPassword(Token, user))}@127.0.0.1:{host.Options.BrokerPort}";

    [Fact]
    public async Task RuntimeChannelClient_ReadsAndWritesUserTopics_NeverTheRealmsOwn()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = Token);
        await using var channels = await MqttProbe.ConnectAsync(Url(host, A), b => b.WithClientId("wafer-runtime-" + A + "-channels"));

        var read = await channels.SubscribeAsync("realm/kitchen/light");
        var written = await channels.PublishAsync("realm/kitchen/light", "on"u8.ToArray());
        var control = await channels.PublishAsync("realm/proc/control", "{}"u8.ToArray());
        var notifications = await channels.SubscribeAsync("realm/proc/notif");
        var commands = await channels.SubscribeAsync($"realm/wafer/v1/runtimes/{Guid.NewGuid():D}/commands"); // another runtime's

        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(read.Items).ResultCode);
        Assert.True(written.IsSuccess, written.ReasonCode.ToString());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, control.ReasonCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(notifications.Items).ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(commands.Items).ResultCode);
    }
}
