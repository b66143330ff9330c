using System.Net;
using Wafer.Protocol.V1;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>Losing the broker or the connection: reconnecting with backoff, the last will, serving meanwhile. (docs/protocol.md; an in-process broker and a fake orchestrator.)</summary>
public sealed class ConnectionTests
{
    [Fact]
    public async Task BrokerRestart_AgentReconnectsAndReannouncesServingMeanwhile()
    {
        await using var fleet = await AgentHarness.StartAsync();
        var hash = await fleet.RunAsync("m-1");

        await fleet.Broker.StopAsync();
        await Eventually.TrueAsync(() => !fleet.Agent.IsConnected, "the agent to notice the broker is gone", FakeOrchestrator.Deadline);
        Assert.Equal(HttpStatusCode.OK, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode);
        await Task.Delay(TimeSpan.FromMilliseconds(800)); // a few failed attempts, so the backoff has grown
        Assert.Equal(HttpStatusCode.OK, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode);

        await fleet.Broker.StartAgainAsync();
        fleet.Orchestrator.Clear();
        await fleet.Orchestrator.ReconnectAsync();

        var announce = await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Announce);
        Assert.Equal([new ModuleReport("m-1", "echo", hash, ModuleState.Running)], announce.Body<AnnounceBody>().Modules);
        var status = await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Status);
        Assert.Equal(StatusBody.Online, status.Body<StatusBody>().State);
        Assert.NotNull(await fleet.Broker.RetainedAsync(Topics.Default.Announce(fleet.RuntimeId)));
    }

    [Fact]
    public async Task ConnectionCut_LastWillMarksTheRuntimeOfflineUntilItRejoins()
    {
        await using var fleet = await AgentHarness.StartAsync();
        await fleet.RunAsync("m-1");
        fleet.Broker.RefuseConnections = true;
        fleet.Orchestrator.Clear();

        await fleet.Broker.CutConnectionAsync(fleet.ClientId);

        var will = await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Status);
        Assert.Equal(StatusBody.Offline, will.Body<StatusBody>().State);
        Assert.True(will.Retain);
        Assert.Equal(StatusBody.Offline, ((StatusBody)(await fleet.Broker.RetainedAsync(Topics.Default.Status(fleet.RuntimeId)))!.Body).State);
        Assert.Equal(HttpStatusCode.OK, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode);

        fleet.Broker.RefuseConnections = false;
        await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Status, r => r.Body<StatusBody>().State == StatusBody.Online);
        var announce = await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Announce);
        Assert.Equal("m-1", Assert.Single(announce.Body<AnnounceBody>().Modules).ModuleId);
    }

    [Fact]
    public async Task Reconnect_WaitsLongerAfterEachRefusal()
    {
        await using var fleet = await AgentHarness.StartAsync();
        fleet.Broker.RefuseConnections = true;
        var before = fleet.Broker.ConnectAttempts.Count;

        await fleet.Broker.CutConnectionAsync(fleet.ClientId);
        await Eventually.TrueAsync(() => fleet.Broker.ConnectAttempts.Count >= before + 4, "four refused attempts", FakeOrchestrator.Deadline);

        var attempts = fleet.Broker.ConnectAttempts.Skip(before).Take(4).ToList();
        var gaps = attempts.Zip(attempts.Skip(1), (a, b) => (b - a).TotalMilliseconds).ToList();
        // The waits are 200, 400 and 800 ms (less up to 20% jitter); each attempt adds its own connect time, which
        // on a loaded machine is large and uneven, so only ask for clear growth.
        Assert.True(gaps[2] > gaps[0] + 150, $"the gaps between attempts grow: {string.Join(", ", gaps.Select(g => g.ToString("0")))} ms");

        fleet.Broker.RefuseConnections = false;
        await Eventually.TrueAsync(() => fleet.Agent.IsConnected, "the agent to reconnect", FakeOrchestrator.Deadline);
    }

    [Fact]
    public async Task Join_WithWrongCredentials_KeepsRetryingAndServing()
    {
        await using var fleet = await AgentHarness.StartAsync(o => o.Agent.MqttPassword = "wrong");
        await fleet.RunAsync("m-1");
        fleet.Broker.Credentials = ("wafer", "right");
        var before = fleet.Broker.ConnectAttempts.Count;

        await fleet.Broker.CutConnectionAsync(fleet.ClientId);

        await Eventually.TrueAsync(() => fleet.Broker.ConnectAttempts.Count >= before + 2, "two refused attempts", FakeOrchestrator.Deadline);
        Assert.False(fleet.Agent.IsConnected);
        Assert.Equal(HttpStatusCode.OK, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode);
    }
}
