using Wafer.ControlPlane.Tests.Support;
using Wafer.Protocol.Security;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Mqtt;

/// <summary>
/// An orchestrator with the fleet token against a client that can publish anywhere (here: the operator's unrestricted
/// broker user): what the runtime did not sign is refused with an <c>error</c> on <c>realm/wafer/v1/orchestrator/errors</c>
/// and changes nothing, so a forged retained announce never moves a runtime's address.
/// </summary>
public sealed class ForgedMessageTests
{
    private const string Token = "fleet-s3cret";

    [Fact]
    public async Task ForgedAnnounceReusingARuntimesId_Refused_ItsAddressUnchanged()
    {
        await using var host = await OrchestratorHost.StartAsync(o =>
        {
            o.ApiToken = Token;
            o.MqttUsername = "operator";
            o.MqttPassword = "op-pass";
        });
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl, null, Token);
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.TryGetValue(runtime.Id, out var r) && r.Url == runtime.Url, "the runtime joined");
        await using var attacker = await MqttProbe.ConnectAsync($"mqtt://operator:op-pass@127.0.0.1:{host.Options.BrokerPort}", null, Topics.Default.OrchestratorErrors);
        var other = Guid.NewGuid().ToString("D");
        var forged = MessageCodec.Encode(MessageTypes.Announce, Fleets.Announce(runtime.Id) with { Url = "http://evil.test" });
        var version = host.View.Current.Version;

        await attacker.PublishAsync(Topics.Default.Announce(runtime.Id), forged, retain: true);
        var unsigned = await attacker.WaitForErrorAsync(Topics.Default.Announce(runtime.Id), "unsigned");
        await attacker.PublishAsync(Topics.Default.Announce(runtime.Id), forged, retain: true,
            MessageSignature.Compute(FleetKeys.Runtime(Token, other), Topics.Default.Announce(runtime.Id), forged));
        var misSigned = await attacker.WaitForErrorAsync(Topics.Default.Announce(runtime.Id), $"does not match the key of runtime '{runtime.Id}'");
        await attacker.PublishAsync(Topics.Default.Status(runtime.Id), MessageCodec.Encode(MessageTypes.Status, new StatusBody(runtime.Id, StatusBody.Offline)), retain: true);
        await attacker.WaitForErrorAsync(Topics.Default.Status(runtime.Id), "unsigned");

        Assert.Equal("announce: unsigned, and this orchestrator accepts only messages signed with the fleet token (start the runtime with --token or WAFER_TOKEN)",
            unsigned.Reason);
        Assert.NotNull(misSigned.RequestId);
        var node = host.View.Current.Runtimes[runtime.Id];
        Assert.Equal((runtime.Url, RuntimeState.Online, version), (node.Url, node.State, host.View.Current.Version));
        var listed = (await host.GetJsonAsync($"/api/runtimes/{runtime.Id}", Token)).GetProperty("url").GetString();
        Assert.Equal(runtime.Url, listed);
    }
}
