using Wafer.ControlPlane.Tests.Support;
using static Wafer.ControlPlane.Tests.Support.Fleets;

namespace Wafer.ControlPlane.Tests.Scheduling;

public sealed class ReconcilerTests
{
    [Fact]
    public async Task Announce_NewRuntime_OnlineAndStored()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();

        await h.AnnounceAsync("a", labels: ("zone", "1"));

        var runtime = h.Fleet.Runtimes["a"];
        Assert.Equal(RuntimeState.Online, runtime.State);
        Assert.Equal("1", runtime.Labels["zone"]);
        Assert.True(h.Store.Runtimes.ContainsKey("a"));
        Assert.Same(h.Fleet, h.View.Current);
    }

    [Fact]
    public async Task ApiRequests_AreAnsweredOnlyAfterTheirSnapshotIsPublished()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("r1");
        var deployment = Fleets.Deployment("web");

        // a continuation that runs inline when the request is answered sees exactly what a reader would see then
        var applied = new TaskCompletionSource<(Deployment, bool)>();
        var seenOnApply = applied.Task.ContinueWith(_ => h.View.Current.Deployments.ContainsKey("web"), TaskContinuationOptions.ExecuteSynchronously);
        await h.Reconciler.HandleAsync(new ApplyDeployment(deployment, applied));
        var removed = new TaskCompletionSource<bool>();
        var seenOnRemove = removed.Task.ContinueWith(_ => h.View.Current.Deployments.ContainsKey("web"), TaskContinuationOptions.ExecuteSynchronously);
        await h.Reconciler.HandleAsync(new RemoveDeployment("web", removed));

        Assert.True(await seenOnApply, "the deployment was answered before readers could see it");
        Assert.False(await seenOnRemove, "the removal was answered while readers still saw the deployment");
    }

    [Fact]
    public async Task Deploy_SendsCreateModuleWithArtifactUrlAndManifest()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");

        await h.DeployAsync(Deployment("web"));

        var (runtime, command) = Assert.Single(h.Commands.Sent, s => s.Command.Type == MessageTypes.CreateModule);
        var create = (CreateModuleBody)command.Body;
        Assert.Equal("a", runtime);
        Assert.Equal("web", create.Plugin);
        Assert.Equal($"http://orchestrator.test/api/artifacts/{Hash()}", create.ArtifactUrl);
        Assert.Equal("web", create.Manifest.GetProperty("name").GetString());
        var module = h.Fleet.Modules[create.ModuleId];
        Assert.Equal(ModuleStatus.Pending, module.Status);
        Assert.Equal(command.Id, module.RequestId);
        Assert.True(h.Store.Modules.ContainsKey(create.ModuleId));
    }

    [Fact]
    public async Task ModuleRunning_MarksModuleRunning()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");
        await h.DeployAsync(Deployment("web"));

        await h.RunAllAsync("a");

        Assert.Equal(ModuleStatus.Running, Assert.Single(h.ModulesOf("web")).Status);
    }

    [Fact]
    public async Task ModuleFailed_KeepsReasonAndRetriesElsewhere()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");
        await h.DeployAsync(Deployment("web"));
        var first = Assert.Single(h.ModulesOf("web"));

        await h.AnnounceAsync("b");
        await h.SendAsync("a", MessageTypes.ModuleFailed, new ModuleFailedBody(first.RequestId, first.Id, "hash mismatch"));

        Assert.Equal("hash mismatch", h.Fleet.Modules[first.Id].Reason);
        Assert.Contains(h.ModulesOf("web"), m => m.RuntimeId == "b" && m.Status == ModuleStatus.Pending);
    }

    [Fact]
    public async Task LastWill_RuntimeOffline_ModulesReplacedElsewhere()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");
        await h.DeployAsync(Deployment("web"));
        await h.RunAllAsync("a");
        await h.AnnounceAsync("b");

        await h.StatusAsync("a", StatusBody.Offline);

        Assert.Equal(RuntimeState.Offline, h.Fleet.Runtimes["a"].State);
        var module = Assert.Single(h.ModulesOf("web"));
        Assert.Equal("b", module.RuntimeId);
        Assert.Equal(ModuleStatus.Pending, module.Status);
    }

    [Fact]
    public async Task MissedKeepalives_RuntimeOfflineAfterGrace()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");
        await h.AnnounceAsync("b");
        await h.DeployAsync(Deployment("web"));
        var host = Assert.Single(h.ModulesOf("web")).RuntimeId;
        var other = host == "a" ? "b" : "a";

        for (var i = 0; i < 4; i++)
        {
            await h.TickAsync(TimeSpan.FromSeconds(4));
            await h.KeepaliveAsync(other);
        }

        Assert.Equal(RuntimeState.Offline, h.Fleet.Runtimes[host].State);
        Assert.Equal(RuntimeState.Online, h.Fleet.Runtimes[other].State);
        Assert.Equal(other, Assert.Single(h.ModulesOf("web")).RuntimeId);
    }

    [Fact]
    public async Task MissedKeepalives_NotCountedWhileBrokerIsDown()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");

        h.Probes.Reachable.Add("a"); // it keeps serving while nothing is heard over the broker
        await h.HandleAsync(new BrokerDisconnected());
        await h.TickAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(RuntimeState.Online, h.Fleet.Runtimes["a"].State);

        await h.HandleAsync(new BrokerConnected());
        await h.TickAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(RuntimeState.Online, h.Fleet.Runtimes["a"].State);
    }

    [Fact]
    public async Task Drain_MovesModulesThenGrantsShutdown()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");
        await h.DeployAsync(Deployment("web"));
        await h.RunAllAsync("a");
        await h.AnnounceAsync("b");
        h.Commands.Clear();

        Assert.Equal(DrainOutcome.Started, await h.DrainAsync("a"));
        Assert.Single(h.Commands.Bodies<DrainBody>("a"));
        Assert.Equal(RuntimeState.Draining, h.Fleet.Runtimes["a"].State);
        Assert.Single(h.Commands.Bodies<CreateModuleBody>("b"));
        Assert.Empty(h.Commands.Bodies<DeleteModuleBody>("a"));

        await h.RunAllAsync("b");
        Assert.Equal(ModuleStatus.Deleting, Assert.Single(h.ModulesOf("web"), m => m.RuntimeId == "a").Status); // out of the routes
        Assert.Empty(h.Commands.Bodies<DeleteModuleBody>("a")); // unloaded only after the route grace
        await h.TickAsync(ReconcilerSettings.Default.RouteGrace);
        Assert.Single(h.Commands.Bodies<DeleteModuleBody>("a"));
        Assert.Empty(h.Commands.Bodies<ShutdownBody>());

        await h.DeleteAllAsync("a");
        Assert.Equal("drained", Assert.Single(h.Commands.Bodies<ShutdownBody>("a")).Reason);
        Assert.True(h.Fleet.Runtimes["a"].ShutdownSent);
        Assert.Equal("b", Assert.Single(h.ModulesOf("web")).RuntimeId);
    }

    [Fact]
    public async Task RollingUpdateAndScaleDown_ReplicaLeavesTheRoutesBeforeItsRuntimeUnloadsIt()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        string[] runtimes = ["a", "b", "c"];
        foreach (var runtime in runtimes)
        {
            await h.AnnounceAsync(runtime);
        }

        await h.DeployAsync(Deployment("web", replicas: 2, hash: 'a'));
        await AnswerAllAsync();

        // When each replica leaves the routes (deleting) and when its delete_module goes out, observed every 100 ms.
        var leftRoutes = new Dictionary<string, DateTimeOffset>();
        var unloaded = new Dictionary<string, DateTimeOffset>();
        var step = TimeSpan.FromMilliseconds(100);
        await h.DeployAsync(Deployment("web", replicas: 2, hash: 'b')); // a rolling update
        await RunUntilSettledAsync();
        Assert.All(h.ModulesOf("web"), m => Assert.Equal((h.Fleet.Deployments["web"].Hash, ModuleStatus.Running), (m.Hash, m.Status)));
        await h.DeployAsync(Deployment("web", replicas: 1, hash: 'b')); // a scale-down
        await RunUntilSettledAsync();

        Assert.Equal(3, leftRoutes.Count); // two old replicas, then one of the new ones
        Assert.Equal(leftRoutes.Keys.Order(), unloaded.Keys.Order());
        var grace = ReconcilerSettings.Default.RouteGrace;
        Assert.All(leftRoutes, left => Assert.InRange(unloaded[left.Key] - left.Value, grace, grace + step));

        // The last replica of a stopped deployment goes at once: no other replica could take its calls.
        h.Commands.Clear();
        Assert.True(await h.RemoveAsync("web"));
        Assert.Single(h.Commands.Bodies<DeleteModuleBody>());

        async Task AnswerAllAsync()
        {
            foreach (var runtime in runtimes)
            {
                await h.RunAllAsync(runtime);
                await h.DeleteAllAsync(runtime);
            }
        }

        void Observe()
        {
            var now = h.Time.GetUtcNow();
            foreach (var module in h.ModulesOf("web").Where(m => m.Status == ModuleStatus.Deleting))
            {
                leftRoutes.TryAdd(module.Id, now);
            }

            foreach (var delete in h.Commands.Bodies<DeleteModuleBody>())
            {
                unloaded.TryAdd(delete.ModuleId, now);
            }
        }

        async Task RunUntilSettledAsync()
        {
            Observe();
            for (var i = 0; i < 100 && (h.ModulesOf("web").Any(m => m.Status != ModuleStatus.Running) || h.ModulesOf("web").Count != h.Fleet.Deployments["web"].Replicas); i++)
            {
                await AnswerAllAsync();
                Observe();
                await h.TickAsync(step);
                Observe();
            }
        }
    }

    [Fact]
    public async Task Drain_UnknownOrOfflineRuntime_Refused()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");
        await h.StatusAsync("a", StatusBody.Offline);

        Assert.Equal(DrainOutcome.NotFound, await h.DrainAsync("nope"));
        Assert.Equal(DrainOutcome.Offline, await h.DrainAsync("a"));
    }

    [Fact]
    public async Task Join_PendingWorkPlacedOnNewRuntime()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.DeployAsync(Deployment("web", replicas: 2));
        Assert.Contains("no runtime is online", h.Fleet.Unplaced["web"]);

        await h.AnnounceAsync("a");
        await h.AnnounceAsync("b");

        Assert.Equal(["a", "b"], h.ModulesOf("web").Select(m => m.RuntimeId).Order());
        Assert.False(h.Fleet.Unplaced.ContainsKey("web"));
    }

    [Fact]
    public async Task RemoveDeployment_DeletesModulesFromRuntimes()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");
        await h.DeployAsync(Deployment("web"));
        await h.RunAllAsync("a");

        Assert.True(await h.RemoveAsync("web"));
        Assert.False(await h.RemoveAsync("web"));

        Assert.Single(h.Commands.Bodies<DeleteModuleBody>("a"));
        await h.DeleteAllAsync("a");
        Assert.Empty(h.Fleet.Modules);
        Assert.Empty(h.Store.Deployments);
    }

    [Fact]
    public async Task ModuleEvent_FromAnotherRuntime_RefusedAndStateUnchanged()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");
        await h.AnnounceAsync("b");
        await h.DeployAsync(Deployment("web"));
        var module = Assert.Single(h.ModulesOf("web"));
        var impostor = module.RuntimeId == "a" ? "b" : "a";
        var before = h.Fleet.Modules;

        await h.SendAsync(impostor, MessageTypes.ModuleFailed, new ModuleFailedBody(null, module.Id, "lies"));

        var (topic, _, reason) = Assert.Single(h.Refusals.Refused);
        Assert.Equal($"realm/wafer/v1/runtimes/{impostor}/events", topic);
        Assert.Contains($"placed on runtime '{module.RuntimeId}'", reason);
        Assert.Same(before, h.Fleet.Modules);
    }

    [Fact]
    public async Task CreateModule_Unanswered_FailsAfterTimeoutAndIsRetried()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");
        await h.AnnounceAsync("b");
        await h.DeployAsync(Deployment("web"));
        var first = Assert.Single(h.ModulesOf("web"));

        for (var i = 0; i < 7; i++)
        {
            await h.KeepaliveAsync("a");
            await h.KeepaliveAsync("b");
            await h.TickAsync(TimeSpan.FromSeconds(5));
        }

        Assert.Equal(ModuleStatus.Failed, h.Fleet.Modules[first.Id].Status);
        Assert.Contains("no answer to create_module", h.Fleet.Modules[first.Id].Reason);
        Assert.Contains(h.ModulesOf("web"), m => m.Status == ModuleStatus.Pending && m.RuntimeId != first.RuntimeId);
    }

    [Fact]
    public async Task Restart_RecoversFromStoreAndResyncsFromAnnouncements()
    {
        var store = new InMemoryFleetStore();
        var time = new ManualTimeProvider();
        var before = new ReconcilerHarness(store, time);
        await before.StartAsync();
        await before.AnnounceAsync("a");
        await before.AnnounceAsync("b");
        await before.DeployAsync(Deployment("web", replicas: 2));
        await before.RunAllAsync("a");
        await before.RunAllAsync("b");
        var modules = before.ModulesOf("web").ToDictionary(m => m.RuntimeId);

        var after = new ReconcilerHarness(store, time);
        await after.StartAsync();
        Assert.Equal(2, after.Fleet.Runtimes.Count);
        Assert.Equal(2, after.ModulesOf("web").Count(m => m.Status == ModuleStatus.Running));

        await after.AnnounceAsync("a", retained: true);
        await after.AnnounceAsync("b", retained: true);
        await after.AnnounceAsync("a", modules: [new ModuleReport(modules["a"].Id, "web", Hash(), "running")]);
        await after.AnnounceAsync("b", modules: [new ModuleReport(modules["b"].Id, "web", Hash(), "running")]);

        Assert.Empty(after.Commands.Sent);
        Assert.Equal(modules.Values.Select(m => m.Id).Order(), after.ModulesOf("web").Select(m => m.Id).Order());
    }

    [Fact]
    public async Task Restart_RuntimeDiedWhileAway_RetainedOfflineStatusReplacesItsModules()
    {
        var store = new InMemoryFleetStore();
        var time = new ManualTimeProvider();
        var before = new ReconcilerHarness(store, time);
        await before.StartAsync();
        await before.AnnounceAsync("a");
        await before.DeployAsync(Deployment("web"));
        await before.RunAllAsync("a");

        var after = new ReconcilerHarness(store, time);
        await after.StartAsync();
        await after.StatusAsync("a", StatusBody.Offline, retained: true);
        await after.AnnounceAsync("a", retained: true);
        await after.AnnounceAsync("b");

        Assert.Equal(RuntimeState.Offline, after.Fleet.Runtimes["a"].State);
        Assert.Equal("b", Assert.Single(after.ModulesOf("web")).RuntimeId);
    }

    [Fact]
    public async Task Announce_UnknownModuleOfWantedDeployment_Adopted()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.DeployAsync(Deployment("web"));

        await h.AnnounceAsync("a", modules: [new ModuleReport("m-old", "web", Hash(), "running")]);

        var module = Assert.Single(h.ModulesOf("web"));
        Assert.Equal("m-old", module.Id);
        Assert.Equal(ModuleStatus.Running, module.Status);
        Assert.Empty(h.Commands.Bodies<CreateModuleBody>());
    }

    [Fact]
    public async Task RuntimeBackAfterLeaving_GetsNothingBeforeItsAnnounce_ThenTheModuleItKeptIsAdopted()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");
        await h.DeployAsync(Deployment("web"));
        await h.RunAllAsync("a");
        var served = Assert.Single(h.ModulesOf("web"));
        await h.StatusAsync("a", StatusBody.Offline); // left: its modules are forgotten, it keeps them in its storage
        h.Commands.Clear();

        // back: its online status comes first, then the announce that says what it serves
        await h.StatusAsync("a", StatusBody.Online);
        Assert.Empty(h.Commands.Bodies<CreateModuleBody>());
        await h.AnnounceAsync("a", modules: [new ModuleReport(served.Id, "web", served.Hash, "running")]);

        var module = Assert.Single(h.ModulesOf("web"));
        Assert.Equal(served.Id, module.Id);
        Assert.Equal(ModuleStatus.Running, module.Status);
        Assert.Equal(RuntimeState.Online, h.Fleet.Runtimes["a"].State);
        Assert.Empty(h.Commands.Bodies<CreateModuleBody>());
        Assert.Empty(h.Commands.Bodies<DeleteModuleBody>());
    }

    [Fact]
    public async Task Announce_UnwantedModule_Deleted()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();

        await h.AnnounceAsync("a", modules: [new ModuleReport("m-stray", "nobody", Hash(), "running")]);

        Assert.Equal("m-stray", Assert.Single(h.Commands.Bodies<DeleteModuleBody>("a")).ModuleId);
    }

    [Fact]
    public async Task Announce_OurModuleMissing_CreateSentAgain()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");
        await h.DeployAsync(Deployment("web"));
        await h.RunAllAsync("a");
        var module = Assert.Single(h.ModulesOf("web"));
        h.Commands.Clear();

        await h.AnnounceAsync("a");

        Assert.Equal(module.Id, Assert.Single(h.Commands.Bodies<CreateModuleBody>("a")).ModuleId);
    }

    [Fact]
    public async Task BrokerReconnect_UnsentCommandsResent()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");
        h.Commands.Down = true;
        await h.DeployAsync(Deployment("web"));
        Assert.Empty(h.Commands.Sent);

        h.Commands.Down = false;
        await h.Reconciler.HandleAsync(new BrokerDisconnected());
        await h.Reconciler.HandleAsync(new BrokerConnected());

        Assert.Single(h.Commands.Bodies<CreateModuleBody>("a"));
    }

    [Fact]
    public async Task Keepalive_UnknownRuntime_AsksForAnnouncements()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();

        await h.KeepaliveAsync("ghost");

        Assert.Equal(1, h.Commands.AnnouncementRequests);
        Assert.Empty(h.Fleet.Runtimes);
    }

    [Fact]
    public async Task Fatal_RuntimeOfflineAndModulesReplaced()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");
        await h.DeployAsync(Deployment("web"));
        await h.AnnounceAsync("b");
        var host = Assert.Single(h.ModulesOf("web")).RuntimeId;

        await h.SendAsync(host, MessageTypes.Fatal, new FatalBody(host, "disk full"));

        Assert.Equal(RuntimeState.Offline, h.Fleet.Runtimes[host].State);
        Assert.NotEqual(host, Assert.Single(h.ModulesOf("web")).RuntimeId);
    }
}
