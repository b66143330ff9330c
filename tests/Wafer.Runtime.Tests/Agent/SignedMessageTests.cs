using Wafer.Protocol.Security;
using Wafer.Protocol.V1;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>
/// A runtime given the fleet token signs everything it publishes with its own key over the topic (docs/protocol.md,
/// "Signed messages"), names its last will in its announce, and joins the broker with the user and password the token
/// gives it; without a token it publishes unsigned and joins anonymously.
/// </summary>
public sealed class SignedMessageTests
{
    private const string Token = "fleet-s3cret";

    [Fact]
    public async Task WithToken_EverythingPublishedIsSigned_TheWillIsNamedInTheAnnounce()
    {
        await using var fleet = await AgentHarness.StartAsync(o => o.Agent.ControlToken = Token);
        fleet.Artifacts.Token = Token;
        await fleet.RunAsync("m-1");
        await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Keepalive);
        var key = FleetKeys.Runtime(Token, fleet.RuntimeId);

        var published = fleet.Orchestrator.All.Where(r => r.Topic.StartsWith($"realm/wafer/v1/runtimes/{fleet.RuntimeId}/", StringComparison.Ordinal)).ToList();
        Assert.Contains(published, r => r.Type == MessageTypes.ModuleRunning);
        Assert.All(published, r => Assert.True(MessageSignature.Matches(key, r.Topic, r.Payload, r.Signature), $"{r.Type} on {r.Topic}: signature {r.Signature ?? "(none)"}"));
        Assert.Equal((fleet.RuntimeId, FleetKeys.BrokerPassword(Token, fleet.RuntimeId)), fleet.Broker.Presented[fleet.ClientId]);

        var willId = fleet.Orchestrator.All.Last(r => r.Type == MessageTypes.Announce).Body<AnnounceBody>().WillId;
        Assert.NotNull(willId);
        fleet.Orchestrator.Clear();
        await fleet.Broker.CutConnectionAsync(fleet.ClientId);

        var will = await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Status, r => r.Body<StatusBody>().State == StatusBody.Offline);
        Assert.Equal(willId, will.Message!.Id);
        Assert.True(will.Retain);
        Assert.True(MessageSignature.Matches(key, will.Topic, will.Payload, will.Signature), "the will is signed");

        // The next connection has a will of its own, named in its announce.
        var next = await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Announce);
        Assert.NotEqual(willId, next.Body<AnnounceBody>().WillId);
    }

    [Fact]
    public async Task WithoutToken_PublishedUnsigned_JoinsAnonymously()
    {
        await using var fleet = await AgentHarness.StartAsync();
        await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Keepalive);

        Assert.All(fleet.Orchestrator.All.Where(r => r.Topic.Contains(fleet.RuntimeId, StringComparison.Ordinal)), r => Assert.Null(r.Signature));
        Assert.Null(fleet.Broker.Presented[fleet.ClientId].User);
        Assert.NotNull(fleet.Orchestrator.All.Last(r => r.Type == MessageTypes.Announce).Body<AnnounceBody>().WillId);
    }
}
