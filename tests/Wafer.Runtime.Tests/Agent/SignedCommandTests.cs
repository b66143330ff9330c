using Wafer.Protocol.V1;
using Wafer.Runtime.Agent;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>
/// A runtime given the fleet's control token obeys only commands signed with it (docs/protocol.md, "Signed
/// commands"): unsigned, wrongly signed, stale and replayed commands are refused with an error event and change nothing.
/// </summary>
public sealed class SignedCommandTests
{
    private const string Token = "fleet-s3cret";

    private static async Task<ErrorBody> RefusalOfAsync(AgentHarness fleet, string requestId) =>
        (await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Error, r => r.Body<ErrorBody>().RequestId == requestId)).Body<ErrorBody>();

    [Fact]
    public async Task SignedCommand_IsCarriedOut()
    {
        await using var fleet = await AgentHarness.StartAsync(o => o.Agent.ControlToken = Token);
        fleet.Artifacts.Token = Token;

        await fleet.RunAsync("m-1");

        Assert.Single(fleet.Runtime.Catalog.Current.Plugins);
    }

    [Fact]
    public async Task UnsignedCommand_IsRefusedAndChangesNothing()
    {
        await using var fleet = await AgentHarness.StartAsync(o => o.Agent.ControlToken = Token);
        fleet.Orchestrator.SigningToken = null;

        var (request, _) = await fleet.CreateAsync("m-1");

        Assert.Equal("refused create_module: unsigned, and this runtime obeys only commands signed with the orchestrator's token",
            (await RefusalOfAsync(fleet, request)).Reason);
        Assert.Empty(fleet.Runtime.Catalog.Current.Plugins);
        Assert.Empty(fleet.Artifacts.Authorizations);
    }

    [Fact]
    public async Task CommandSignedWithAnotherToken_IsRefused()
    {
        await using var fleet = await AgentHarness.StartAsync(o => o.Agent.ControlToken = Token);
        fleet.Orchestrator.SigningToken = "guessed";

        var request = await fleet.Orchestrator.SendAsync(fleet.RuntimeId, MessageTypes.Drain, new DrainBody());

        Assert.Equal("refused drain: the signature does not match this runtime's token", (await RefusalOfAsync(fleet, request)).Reason);
        Assert.DoesNotContain(fleet.Orchestrator.All, r => r.Type == MessageTypes.Status && r.Body<StatusBody>().State == StatusBody.Draining);
    }

    [Fact]
    public async Task ReplayedCommand_IsRefused()
    {
        await using var fleet = await AgentHarness.StartAsync(o => o.Agent.ControlToken = Token);
        fleet.Artifacts.Token = Token;
        await fleet.RunAsync("m-1");
        var delete = Envelope.Create(MessageTypes.DeleteModule, new DeleteModuleBody("m-1"));
        var payload = MessageCodec.Encode(delete);
        var signature = CommandSignature.Compute(Token, payload);

        await fleet.Orchestrator.PublishAsync(Topics.Commands(fleet.RuntimeId), payload, retain: false, signature);
        await fleet.Orchestrator.AnswerToAsync(fleet.RuntimeId, delete.Id, MessageTypes.ModuleDeleted);
        await fleet.RunAsync("m-1");
        await fleet.Orchestrator.PublishAsync(Topics.Commands(fleet.RuntimeId), payload, retain: false, signature);

        Assert.Equal("refused delete_module: the same signed command was already carried out (a replay)", (await RefusalOfAsync(fleet, delete.Id)).Reason);
        Assert.Single(fleet.Runtime.Catalog.Current.Plugins);
    }

    [Fact]
    public async Task StaleCommand_IsRefused()
    {
        await using var fleet = await AgentHarness.StartAsync(o => o.Agent.ControlToken = Token);
        var old = new Envelope(Envelope.Version, MessageTypes.Drain, "req-old", DateTimeOffset.UtcNow - TimeSpan.FromMinutes(30), new DrainBody());
        var payload = MessageCodec.Encode(old);

        await fleet.Orchestrator.PublishAsync(Topics.Commands(fleet.RuntimeId), payload, retain: false, CommandSignature.Compute(Token, payload));

        Assert.StartsWith("refused drain: sent at ", (await RefusalOfAsync(fleet, "req-old")).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Signature_DependsOnTokenAndEveryByte()
    {
        var payload = "{\"v\":1}"u8.ToArray();
        var signature = CommandSignature.Compute(Token, payload);
        Assert.Matches("^sha256=[0-9a-f]{64}$", signature);
        Assert.True(CommandSignature.Matches(Token, payload, signature));
        Assert.False(CommandSignature.Matches("other", payload, signature));
        Assert.False(CommandSignature.Matches(Token, "{\"v\":2}"u8.ToArray(), signature));
        Assert.False(CommandSignature.Matches(Token, payload, null));
        Assert.Null(new CommandGuard(null, TimeProvider.System).Check(Envelope.Create(MessageTypes.Drain, new DrainBody()), payload, null));
    }
}
