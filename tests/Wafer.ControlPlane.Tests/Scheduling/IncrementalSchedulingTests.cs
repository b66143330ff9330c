using Wafer.ControlPlane.Tests.Support;
using static Wafer.ControlPlane.Tests.Support.Fleets;

namespace Wafer.ControlPlane.Tests.Scheduling;

/// <summary>
/// A pass reconciles what its events touched, the batch's writes go to the store in one transaction, and its commands
/// go out only after that: the same placements as a pass over the whole fleet per change, for a fraction of the work.
/// </summary>
public sealed class IncrementalSchedulingTests
{
    [Fact]
    public async Task ModuleRunning_ReconcilesItsDeploymentOnly()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        foreach (var id in new[] { "a", "b", "c" })
        {
            await h.AnnounceAsync(id, maxModules: 50);
        }

        foreach (var i in Enumerable.Range(0, 40))
        {
            await h.DeployAsync(Deployment($"d-{i:D2}"));
        }

        var (passes, full, planned) = (h.Reconciler.Counts.Passes, h.Reconciler.Counts.FullPasses, h.Reconciler.Counts.Deployments);
        var module = Assert.Single(h.ModulesOf("d-07"));
        await h.SendAsync(module.RuntimeId, MessageTypes.ModuleRunning, new ModuleRunningBody("x", module.Id, "d-07", module.Hash));

        Assert.Equal(ModuleStatus.Running, h.Fleet.Modules[module.Id].Status);
        Assert.Equal(passes + 1, h.Reconciler.Counts.Passes);
        Assert.Equal(full, h.Reconciler.Counts.FullPasses);
        Assert.Equal(planned + 1, h.Reconciler.Counts.Deployments); // d-07 alone, not all 40
    }

    [Fact]
    public async Task RuntimeChange_ReconcilesEveryDeployment()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a", maxModules: 50);
        await h.DeployAllAsync(Enumerable.Range(0, 10).Select(i => Deployment($"d-{i}")));
        var (full, planned) = (h.Reconciler.Counts.FullPasses, h.Reconciler.Counts.Deployments);

        await h.AnnounceAsync("b", maxModules: 50);

        Assert.Equal(full + 1, h.Reconciler.Counts.FullPasses);
        Assert.Equal(planned + 10, h.Reconciler.Counts.Deployments);
    }

    [Fact]
    public async Task FreedSlot_PlacesAnUnplacedDeploymentOfAnotherName()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a", maxModules: 1);
        await h.DeployAsync(Deployment("first"));
        await h.DeployAsync(Deployment("second"));
        Assert.Contains("second", h.Fleet.Unplaced.Keys);

        await h.RemoveAsync("first");
        await h.DeleteAllAsync("a");

        Assert.Equal("a", Assert.Single(h.ModulesOf("second")).RuntimeId);
        Assert.DoesNotContain("second", h.Fleet.Unplaced.Keys);
    }

    [Fact]
    public async Task ABatchOfDeployments_IsOneStoreWrite_AndCommandsFollowIt()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            await h.AnnounceAsync(id, maxModules: 50);
        }

        var writes = h.Store.Writes;
        await h.DeployAllAsync(Enumerable.Range(0, 20).Select(i => Deployment($"d-{i:D2}", replicas: 2)));

        Assert.Equal(writes + 1, h.Store.Writes);
        Assert.Equal(20, h.Store.Deployments.Count);
        Assert.Equal(40, h.Store.Modules.Count);
        Assert.Equal(40, h.Commands.Bodies<CreateModuleBody>().Count());
        Assert.All(h.Commands.Bodies<CreateModuleBody>(), c => Assert.True(h.Store.Modules.ContainsKey(c.ModuleId)));
    }

    [Fact]
    public async Task FailedStoreWrite_SendsNothing_FailsTheRequests_AndLeavesTheFleetAsItWas()
    {
        var h = new ReconcilerHarness();
        await h.StartAsync();
        await h.AnnounceAsync("a");
        var before = h.Fleet;
        var sent = h.Commands.Sent.Count;

        h.Store.Failing = true;
        var done = new TaskCompletionSource<(Deployment, bool)>();
        await h.HandleAsync(new ApplyDeployment(Deployment("web"), done));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => done.Task);
        Assert.Equal("the store is down", failure.Message);
        Assert.Equal(sent, h.Commands.Sent.Count);
        Assert.Same(before, h.View.Current);
        Assert.False(h.Fleet.Deployments.ContainsKey("web"));

        h.Store.Failing = false;
        await h.DeployAsync(Deployment("web"));

        Assert.Equal("a", Assert.Single(h.ModulesOf("web")).RuntimeId);
        Assert.Single(h.Commands.Bodies<CreateModuleBody>());
    }

    /// <summary>
    /// The same events through a reconciler that passes over every deployment each time (the former behaviour) and
    /// through one that reconciles what was touched: the same replicas on the same runtimes, the same reasons.
    /// </summary>
    [Fact]
    public async Task IncrementalPasses_PlaceExactlyAsFullPasses()
    {
        var incremental = new ReconcilerHarness();
        var full = new ReconcilerHarness(settings: ReconcilerSettings.Default with { FullPassInterval = TimeSpan.Zero });
        foreach (var h in new[] { incremental, full })
        {
            await ScriptAsync(h);
        }

        Assert.Equal(0, full.Reconciler.Counts.Passes - full.Reconciler.Counts.FullPasses);
        Assert.True(incremental.Reconciler.Counts.Deployments * 3 < full.Reconciler.Counts.Deployments,
            $"{incremental.Reconciler.Counts.Deployments} deployments reconciled incrementally, {full.Reconciler.Counts.Deployments} by full passes");
        Assert.Equal(Placement(full), Placement(incremental));
        Assert.Equal(full.Fleet.Unplaced.OrderBy(u => u.Key), incremental.Fleet.Unplaced.OrderBy(u => u.Key));
        // module ids are random, and break some ties (which extra replica goes): the commands are compared as counts
        Assert.Equal(CommandCounts(full), CommandCounts(incremental));
    }

    private static async Task ScriptAsync(ReconcilerHarness h)
    {
        await h.StartAsync();
        for (var i = 0; i < 8; i++)
        {
            await h.AnnounceAsync($"rt-{i}", maxModules: 3 + i % 3, labels: ("zone", i % 2 == 0 ? "east" : "west"));
        }

        // a burst in one batch: spread, labels and maxModules decide together
        await h.DeployAllAsync(Enumerable.Range(0, 12).Select(i =>
            i % 4 == 0 ? Deployment($"d-{i:D2}", replicas: 1 + i % 3, labels: ("zone", "west")) : Deployment($"d-{i:D2}", replicas: 1 + i % 3)));
        foreach (var i in Enumerable.Range(0, 8))
        {
            await h.RunAllAsync($"rt-{i}");
        }

        // a failure backs its runtime off, a drain moves replicas, a removal frees slots, more arrive one by one
        var failed = h.ModulesOf("d-05").OrderBy(m => m.RuntimeId, StringComparer.Ordinal).First();
        await h.SendAsync(failed.RuntimeId, MessageTypes.ModuleFailed, new ModuleFailedBody("x", failed.Id, "trap"));
        await h.DrainAsync("rt-3");
        foreach (var i in Enumerable.Range(0, 8))
        {
            await h.RunAllAsync($"rt-{i}");
        }

        await h.DeleteAllAsync("rt-3");
        await h.RemoveAsync("d-02");
        await h.DeleteAllAsync("rt-0");
        foreach (var i in Enumerable.Range(12, 6))
        {
            await h.DeployAsync(Deployment($"d-{i:D2}", replicas: 2));
        }

        await h.TickAsync(TimeSpan.FromSeconds(5));
        foreach (var i in Enumerable.Range(0, 8))
        {
            await h.RunAllAsync($"rt-{i}");
            await h.DeleteAllAsync($"rt-{i}");
        }

        await h.TickAsync(TimeSpan.FromSeconds(5));
    }

    private static List<string> CommandCounts(ReconcilerHarness h) =>
        [.. h.Commands.Sent.GroupBy(s => s.Command.Type).Select(g => $"{g.Key} x{g.Count()}").Order(StringComparer.Ordinal)];

    private static List<string> Placement(ReconcilerHarness h) =>
        [.. h.Fleet.Modules.Values.Select(m => $"{m.Deployment}@{m.RuntimeId}:{m.Status}").Order(StringComparer.Ordinal)];
}
