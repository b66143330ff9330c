using Wafer.ControlPlane.Tests.Support;

namespace Wafer.ControlPlane.Tests.Mqtt;

public sealed class EmbeddedBrokerTests
{
    [Fact]
    public async Task Credentials_Configured_AnonymousClientsRefused()
    {
        await using var host = await OrchestratorHost.StartAsync(o =>
        {
            o.MqttUsername = "fleet";
            o.MqttPassword = "pa55";
        });

        await Assert.ThrowsAnyAsync<Exception>(() => MqttProbe.ConnectAsync(host.BrokerUrl));
        await Assert.ThrowsAnyAsync<Exception>(() => MqttProbe.ConnectAsync($"mqtt://fleet:wrong@127.0.0.1:{host.Options.BrokerPort}"));
        await using var probe = await MqttProbe.ConnectAsync($"mqtt://fleet:pa55@127.0.0.1:{host.Options.BrokerPort}");
    }

    [Fact]
    public async Task OrchestratorStatus_RetainedOnlineWithItsUrl()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var probe = await MqttProbe.ConnectAsync(host.BrokerUrl, null, Topics.Default.OrchestratorStatus);

        var online = await probe.WaitForAsync(Topics.Default.OrchestratorStatus, _ => true, "the retained orchestrator status");
        var body = (OrchestratorStatusBody)MessageCodec.Decode(Topics.Default.OrchestratorStatus, online).Body;
        Assert.Equal("online", body.State);
        Assert.Equal(host.Client.BaseAddress!.ToString().TrimEnd('/'), body.Url);
    }
}
