using Wafer.Protocol.V1;
using Wafer.Runtime.Agent;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>
/// A runtime given the fleet token obeys only commands signed with its own key over its own command topic
/// (docs/protocol.md, "Signed messages"): unsigned, wrongly signed, stale and replayed commands, and commands captured
/// on their way to another runtime, are refused with an error event and change nothing.
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

        Assert.Equal($"refused drain: the signature does not match this runtime's key for {Topics.Default.Commands(fleet.RuntimeId)} (signed for another runtime or topic, or with another token)",
            (await RefusalOfAsync(fleet, request)).Reason);
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
        var signature = fleet.Orchestrator.Sign(Topics.Default.Commands(fleet.RuntimeId), payload);

        await fleet.Orchestrator.PublishAsync(Topics.Default.Commands(fleet.RuntimeId), payload, retain: false, signature);
        await fleet.Orchestrator.AnswerToAsync(fleet.RuntimeId, delete.Id, MessageTypes.ModuleDeleted);
        await fleet.RunAsync("m-1");
        await fleet.Orchestrator.PublishAsync(Topics.Default.Commands(fleet.RuntimeId), payload, retain: false, signature);

        Assert.Equal("refused delete_module: the same signed command was already carried out (a replay)", (await RefusalOfAsync(fleet, delete.Id)).Reason);
        Assert.Single(fleet.Runtime.Catalog.Current.Plugins);
    }

    [Fact]
    public async Task StaleCommand_IsRefused()
    {
        await using var fleet = await AgentHarness.StartAsync(o => o.Agent.ControlToken = Token);
        var old = new Envelope(Envelope.Version, MessageTypes.Drain, "req-old", DateTimeOffset.UtcNow - TimeSpan.FromMinutes(30), new DrainBody());
        var payload = MessageCodec.Encode(old);

        await fleet.Orchestrator.PublishAsync(Topics.Default.Commands(fleet.RuntimeId), payload, retain: false, fleet.Orchestrator.Sign(Topics.Default.Commands(fleet.RuntimeId), payload));

        Assert.StartsWith("refused drain: sent at ", (await RefusalOfAsync(fleet, "req-old")).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateModuleCapturedForAnotherRuntime_ReplayedHere_IsRefused()
    {
        await using var fleet = await AgentHarness.StartAsync(o => o.Agent.ControlToken = Token);
        fleet.Artifacts.Token = Token;
        var other = Guid.NewGuid().ToString("D");
        var (hash, url) = fleet.Artifacts.Add(File.ReadAllBytes(Wafer.Runtime.Tests.Support.TestGuests.Wasm("echo")));
        var create = Envelope.Create(MessageTypes.CreateModule,
            new CreateModuleBody("m-1", "echo", hash, url, JsonDocument.Parse("{}").RootElement.Clone()));
        var payload = MessageCodec.Encode(create);
        var capturedSignature = fleet.Orchestrator.Sign(Topics.Default.Commands(other), payload); // as the orchestrator sent it to the other runtime

        await fleet.Orchestrator.PublishAsync(Topics.Default.Commands(fleet.RuntimeId), payload, retain: false, capturedSignature);

        Assert.StartsWith("refused create_module: the signature does not match this runtime's key", (await RefusalOfAsync(fleet, create.Id)).Reason, StringComparison.Ordinal);
        Assert.Empty(fleet.Runtime.Catalog.Current.Plugins);
        Assert.Empty(fleet.Artifacts.Authorizations);
    }

    [Fact]
    public async Task DrainAndShutdownCapturedForAnotherRuntime_ReplayedHere_AreRefused()
    {
        await using var fleet = await AgentHarness.StartAsync(o => o.Agent.ControlToken = Token);
        var other = Guid.NewGuid().ToString("D");
        var drain = Envelope.Create(MessageTypes.Drain, new DrainBody());
        var shutdown = Envelope.Create(MessageTypes.Shutdown, new ShutdownBody("drained"));

        foreach (var command in new[] { drain, shutdown })
        {
            var payload = MessageCodec.Encode(command);
            await fleet.Orchestrator.PublishAsync(Topics.Default.Commands(fleet.RuntimeId), payload, retain: false, fleet.Orchestrator.Sign(Topics.Default.Commands(other), payload));
        }

        Assert.StartsWith("refused drain: the signature does not match", (await RefusalOfAsync(fleet, drain.Id)).Reason, StringComparison.Ordinal);
        Assert.StartsWith("refused shutdown: the signature does not match", (await RefusalOfAsync(fleet, shutdown.Id)).Reason, StringComparison.Ordinal);
        Assert.False(fleet.Agent.IsDraining);
        Assert.False(fleet.Lifetime.ApplicationStopping.IsCancellationRequested);
        Assert.True(fleet.Agent.IsConnected);
        Assert.DoesNotContain(fleet.Orchestrator.All, r => r.Type == MessageTypes.Status && r.Body<StatusBody>().State != StatusBody.Online);
    }

    [Fact]
    public async Task UnsignedOrchestratorStatus_IsRefused_SignedOneBringsAnAnnounce()
    {
        await using var fleet = await AgentHarness.StartAsync(o => o.Agent.ControlToken = Token);
        var announces = fleet.Orchestrator.All.Count(r => r.Type == MessageTypes.Announce);

        await fleet.Orchestrator.PublishStatusAsync("online", signed: false);
        var refused = await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Error, r => r.Body<ErrorBody>().Topic == Topics.Default.OrchestratorStatus);
        Assert.Equal("refused orchestrator_status: unsigned, and this runtime accepts only messages signed with the fleet token", refused.Body<ErrorBody>().Reason);
        Assert.Equal(announces, fleet.Orchestrator.All.Count(r => r.Type == MessageTypes.Announce));

        await fleet.Orchestrator.PublishStatusAsync("online");
        await Eventually.TrueAsync(
            () => fleet.Orchestrator.All.Count(r => r.Type == MessageTypes.Announce) > announces, "an announce after the signed status", FakeOrchestrator.Deadline);
    }

    [Fact]
    public void Signature_DependsOnKeyTopicAndEveryByte()
    {
        var payload = "{\"v\":1}"u8.ToArray();
        var (a, b) = (Guid.NewGuid().ToString("D"), Guid.NewGuid().ToString("D"));
        var key = Wafer.Protocol.Security.FleetKeys.Runtime(Token, a);
        var signature = MessageSignature.Compute(key, Topics.Default.Commands(a), payload);
        Assert.Matches("^sha256=[0-9a-f]{64}$", signature);
        Assert.True(MessageSignature.Matches(key, Topics.Default.Commands(a), payload, signature));
        Assert.False(MessageSignature.Matches(Wafer.Protocol.Security.FleetKeys.Runtime("other", a), Topics.Default.Commands(a), payload, signature));
        Assert.False(MessageSignature.Matches(Wafer.Protocol.Security.FleetKeys.Runtime(Token, b), Topics.Default.Commands(b), payload, signature));
        Assert.False(MessageSignature.Matches(key, Topics.Default.Events(a), payload, signature));
        Assert.False(MessageSignature.Matches(key, Topics.Default.Commands(a), "{\"v\":2}"u8.ToArray(), signature));
        Assert.False(MessageSignature.Matches(key, Topics.Default.Commands(a), payload, null));
        Assert.False(MessageSignature.Matches(key, Topics.Default.Commands(a), payload, signature[..^1] + "g"));
        Assert.Null(new CommandGuard(null, TimeProvider.System).Check(Topics.Default.Commands(a), Envelope.Create(MessageTypes.Drain, new DrainBody()), payload, null));
    }
}
