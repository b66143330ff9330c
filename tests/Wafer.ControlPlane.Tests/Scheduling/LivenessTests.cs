using Wafer.ControlPlane.Gateway;
using Wafer.ControlPlane.Tests.Support;
using static Wafer.ControlPlane.Tests.Support.Fleets;

namespace Wafer.ControlPlane.Tests.Scheduling;

/// <summary>
/// Routes change on evidence about the runtime, not about the broker: a last will, missed keepalives or the
/// orchestrator's own broker loss keep a runtime in the routes while it answers its health check, and take it out as
/// soon as a check fails. Its own goodbye still takes it out at once.
/// </summary>
public sealed class LivenessTests
{
    private static async Task<ReconcilerHarness> RunningOnAsync(params string[] runtimes)
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        foreach (var runtime in runtimes)
        {
            await h.AnnounceAsync(runtime);
        }

        await h.DeployAsync(Deployment("web", replicas: runtimes.Length));
        foreach (var runtime in runtimes)
        {
            await h.RunAllAsync(runtime);
        }

        return h;
    }

    /// <summary>The runtimes the gateway routes calls of <c>web</c> to.</summary>
    private static string[] Routed(ReconcilerHarness h) =>
        [.. new FleetRouteBuilder(new Wafer.ControlPlane.Artifacts.ArtifactFiles(Path.GetTempPath())).Build(h.Fleet).Deployments
            .Where(d => d.Name == "web").SelectMany(d => d.Replicas).Select(r => r.Runtime).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Will_RuntimeStillAnswers_StaysRoutedButGetsNothingNew()
    {
        var h = await RunningOnAsync("a", "b");
        h.Probes.Reachable.Add("a");

        await h.WillAsync("a");

        Assert.Equal(["a"], h.Probes.Requested.Select(p => p.RuntimeId));
        Assert.Equal("http://a.test", h.Probes.Requested[0].Url);
        Assert.Equal(RuntimeState.Online, h.Fleet.Runtimes["a"].State);
        Assert.NotNull(h.Fleet.Runtimes["a"].ControlLostAt);
        Assert.Equal(["a", "b"], Routed(h));
        await h.DeployAsync(Deployment("other", replicas: 2));
        Assert.Equal(["b"], h.ModulesOf("other").Select(m => m.RuntimeId)); // "a" cannot be told to load it now
    }

    [Fact]
    public async Task Will_RuntimeDoesNotAnswer_LeavesTheRoutesAtOnce()
    {
        var h = await RunningOnAsync("a", "b");

        await h.WillAsync("a");

        Assert.Equal(RuntimeState.Offline, h.Fleet.Runtimes["a"].State);
        Assert.Equal(["b"], Routed(h));
    }

    [Fact]
    public async Task Goodbye_LiveOfflineStatus_OfflineWithoutACheck()
    {
        var h = await RunningOnAsync("a", "b");
        h.Probes.Reachable.Add("a");

        await h.StatusAsync("a", StatusBody.Offline);

        Assert.Equal(RuntimeState.Offline, h.Fleet.Runtimes["a"].State);
        Assert.Empty(h.Probes.Requested);
    }

    [Fact]
    public async Task BrokerStops_EveryWillAndTheLostConnection_NoRuntimeLeavesTheRoutes_ADeadOneDoes()
    {
        var h = await RunningOnAsync("a", "b", "c");
        h.Probes.Reachable.UnionWith(["a", "b"]); // "c" died while the broker was away

        foreach (var runtime in new[] { "a", "b", "c" })
        {
            await h.WillAsync(runtime); // a broker stopped with SIGTERM publishes every client's will
        }

        await h.HandleAsync(new BrokerDisconnected());
        await h.TickAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(["a", "b"], Routed(h));
        Assert.Equal(RuntimeState.Offline, h.Fleet.Runtimes["c"].State);
        Assert.All(new[] { "a", "b" }, id => Assert.Equal(RuntimeState.Online, h.Fleet.Runtimes[id].State));

        // The broker is back: the retained wills arrive again, then the runtimes reconnect and speak.
        await h.HandleAsync(new BrokerConnected());
        await h.SendAsync("a", MessageTypes.Status, new StatusBody("a", StatusBody.Offline), retained: true);
        Assert.Equal(["a", "b"], Routed(h));
        await h.StatusAsync("a", StatusBody.Online);
        await h.AnnounceAsync("b", modules: [.. h.ModulesOf("web").Where(m => m.RuntimeId == "b").Select(m => new ModuleReport(m.Id, "web", m.Hash, "running"))]);
        Assert.Null(h.Fleet.Runtimes["a"].ControlLostAt);
        Assert.Null(h.Fleet.Runtimes["b"].ControlLostAt);
        Assert.Equal(["a", "b"], Routed(h));
    }

    [Fact]
    public async Task ControlLost_CheckedAgainEveryInterval_LeavesWhenAChecksFails()
    {
        var h = await RunningOnAsync("a", "b");
        h.Probes.Reachable.Add("a");
        await h.WillAsync("a");

        await h.TickAsync(ReconcilerSettings.Default.ProbeInterval);
        await h.TickAsync(ReconcilerSettings.Default.ProbeInterval);
        Assert.Equal(3, h.Probes.Requested.Count(p => p.RuntimeId == "a"));
        Assert.Equal(["a", "b"], Routed(h));

        h.Probes.Reachable.Remove("a"); // its process ends
        await h.TickAsync(ReconcilerSettings.Default.ProbeInterval);

        Assert.Equal(RuntimeState.Offline, h.Fleet.Runtimes["a"].State);
        Assert.Equal(["b"], Routed(h));
    }

    [Fact]
    public async Task MissedKeepalives_RuntimeStillAnswers_Stays_ItsNextKeepaliveClearsTheMark()
    {
        var h = await RunningOnAsync("a", "b");
        h.Probes.Reachable.Add("a");

        for (var i = 0; i < 4; i++)
        {
            await h.TickAsync(TimeSpan.FromSeconds(4)); // "a" misses three 5 s keepalives, "b" sends its own
            await h.KeepaliveAsync("b");
        }

        Assert.Equal(["a", "b"], Routed(h));
        Assert.NotNull(h.Fleet.Runtimes["a"].ControlLostAt);
        await h.KeepaliveAsync("a");
        Assert.Null(h.Fleet.Runtimes["a"].ControlLostAt);
        Assert.True(h.Fleet.Runtimes["a"].Placeable);
    }

    [Fact]
    public async Task StaleCheck_AnsweredAfterTheRuntimeCameBackAndWasLostAgain_Ignored()
    {
        var h = await RunningOnAsync("a");
        await h.Reconciler.HandleAsync(new RuntimeMessage("a", Topics.Default.Status("a"), new Envelope(1, MessageTypes.Status, "w1", h.Time.GetUtcNow(),
            new StatusBody("a", StatusBody.Offline)), IsWill: true)); // a check is asked for, not answered yet
        var lostAt = h.Time.GetUtcNow();
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Reconciler.HandleAsync(new RuntimeMessage("a", Topics.Default.Status("a"), new Envelope(1, MessageTypes.Status, "s1", h.Time.GetUtcNow(),
            new StatusBody("a", StatusBody.Online))));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        await h.Reconciler.HandleAsync(new BrokerDisconnected()); // lost again, later

        await h.Reconciler.HandleAsync(new RuntimeProbed("a", lostAt, Reachable: false, "GET /healthz failed: ConnectionRefused"));

        Assert.Equal(RuntimeState.Online, h.Fleet.Runtimes["a"].State);
    }
}
