using MQTTnet;
using MQTTnet.Protocol;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Protocol.Security;

namespace Wafer.ControlPlane.Tests.Mqtt;

/// <summary>
/// The in-process broker of an orchestrator with the fleet token (docs/security.md, "The control channel"): clients
/// need the credentials the token gives them, and each role reaches only its own topics, enforced by the broker itself.
/// </summary>
public sealed class BrokerPermissionTests
{
    private const string Token = "fleet-s3cret";
    private static readonly string A = Guid.NewGuid().ToString("D");
    private static readonly string B = Guid.NewGuid().ToString("D");

    private static string Url(OrchestratorHost host, string user) =>
        $"mqtt://{user}:{Uri.EscapeDataString(FleetKeys.BrokerPassword(Token, user))}@127.0.0.1:{host.Options.BrokerPort}";

    private static Task<MqttProbe> RuntimeAsync(OrchestratorHost host, string id, Action<MqttClientOptionsBuilder>? configure = null, params string[] subscriptions) =>
        MqttProbe.ConnectAsync(Url(host, id), b =>
        {
            b.WithClientId("wafer-runtime-" + id);
            configure?.Invoke(b);
        }, subscriptions);

    [Fact]
    public async Task Token_AnonymousClient_RefusedWithAReasonNamingTheFix()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = Token);

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => MqttProbe.ConnectAsync(host.BrokerUrl));

        Assert.Equal("the broker refused the connection: BadUserNameOrPassword: this fleet has a token and its broker requires credentials: "
                     + "start the runtime with --token (or WAFER_TOKEN), its broker user and password derive from it", refused.Message);
    }

    [Fact]
    public async Task Token_WrongPasswordOrAnotherRuntimesClientId_Refused()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = Token);

        var wrong = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            MqttProbe.ConnectAsync($"mqtt://{A}:guessed@127.0.0.1:{host.Options.BrokerPort}", b => b.WithClientId("wafer-runtime-" + A)));
        var takeover = await Assert.ThrowsAsync<InvalidOperationException>(() => RuntimeAsync(host, A, b => b.WithClientId("wafer-runtime-" + B)));
        var unknown = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            MqttProbe.ConnectAsync($"mqtt://admin:{FleetKeys.BrokerPassword(Token, "admin")}@127.0.0.1:{host.Options.BrokerPort}"));

        Assert.StartsWith($"the broker refused the connection: BadUserNameOrPassword: wrong password for user '{A}'", wrong.Message, StringComparison.Ordinal);
        Assert.Equal($"the broker refused the connection: ClientIdentifierNotValid: runtime '{A}' must connect with client id wafer-runtime-{A}", takeover.Message);
        Assert.Equal("the broker refused the connection: BadUserNameOrPassword: unknown user 'admin'", unknown.Message);
    }

    [Fact]
    public async Task Runtime_MayNotPublishToAnotherRuntimesTopics_NorReadItsCommands()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = Token);
        await using var observer = await MqttProbe.ConnectAsync(Url(host, "orchestrator"), null, "realm/wafer/v1/runtimes/#");
        await using var b = await RuntimeAsync(host, B, null, Topics.Default.Commands(B));
        await using var a = await RuntimeAsync(host, A);
        var payload = MessageCodec.Encode(MessageTypes.Announce, Fleets.Announce(B) with { Url = "http://evil.test" });

        var intoAnnounce = await a.PublishAsync(Topics.Default.Announce(B), payload, retain: true);
        var intoCommands = await a.PublishAsync(Topics.Default.Commands(B), MessageCodec.Encode(MessageTypes.Drain, new DrainBody()));
        var intoOrchestrator = await a.PublishAsync(Topics.Default.OrchestratorStatus, MessageCodec.Encode(MessageTypes.OrchestratorStatus, new OrchestratorStatusBody("online", "http://evil.test")));
        var own = await a.PublishAsync(Topics.Default.Keepalive(A), MessageCodec.Encode(MessageTypes.Keepalive, new KeepaliveBody(A, new Load(0, 0, 0, 1), [])));
        var readOthers = await a.SubscribeAsync(Topics.Default.Commands(B));
        var readAll = await a.SubscribeAsync("realm/wafer/v1/#");
        var readOwn = await a.SubscribeAsync(Topics.Default.Commands(A));

        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, intoAnnounce.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, intoCommands.ReasonCode);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, intoOrchestrator.ReasonCode);
        Assert.True(own.IsSuccess, own.ReasonCode.ToString());
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(readOthers.Items).ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.NotAuthorized, Assert.Single(readAll.Items).ResultCode);
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, Assert.Single(readOwn.Items).ResultCode);
        await observer.WaitForAsync(Topics.Default.Keepalive(A), _ => true, "A's own keepalive goes through");
        Assert.DoesNotContain(observer.Received, m => m.Topic.Contains(B, StringComparison.Ordinal));
        Assert.Empty(b.Received);
    }

    [Fact]
    public async Task Orchestrator_PublishesCommandsButNoRuntimesMessages()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = Token);
        await using var b = await RuntimeAsync(host, B, null, Topics.Default.Commands(B));
        await using var orchestrator = await MqttProbe.ConnectAsync(Url(host, "orchestrator"));

        var command = await orchestrator.PublishAsync(Topics.Default.Commands(B), MessageCodec.Encode(MessageTypes.Drain, new DrainBody()));
        var impersonation = await orchestrator.PublishAsync(Topics.Default.Status(B), MessageCodec.Encode(MessageTypes.Status, new StatusBody(B, StatusBody.Offline)));

        Assert.True(command.IsSuccess, command.ReasonCode.ToString());
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, impersonation.ReasonCode);
        await b.WaitForAsync(Topics.Default.Commands(B), _ => true, "B receives the orchestrator's command");
    }

    [Fact]
    public async Task RuntimesLastWill_GoesThroughTheBroker()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = Token);
        await using var observer = await MqttProbe.ConnectAsync(Url(host, "orchestrator"), null, Topics.Default.Status(A));
        var will = MessageCodec.Encode(MessageTypes.Status, new StatusBody(A, StatusBody.Offline));
        var a = await RuntimeAsync(host, A, o => o
            .WithWillTopic(Topics.Default.Status(A)).WithWillPayload(will).WithWillRetain(true).WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce));

        a.Crash();

        await observer.WaitForAsync(Topics.Default.Status(A), p => p.AsSpan().SequenceEqual(will), "A's last will");
    }
}
