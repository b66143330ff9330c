using Wafer.ControlPlane.Tests.Support;
using static Wafer.ControlPlane.Tests.Support.Fleets;

namespace Wafer.ControlPlane.Tests.Scheduling;

public sealed class SchedulerTests
{
    private static SchedulePlan Plan(FleetSnapshot fleet, DateTimeOffset? now = null) => Scheduler.Plan(fleet, now ?? T0, SchedulerSettings.Default);

    private static List<string> PlacedOn(SchedulePlan plan, string deployment) =>
        plan.Of<PlaceModule>().Where(p => p.Deployment == deployment).Select(p => p.RuntimeId).ToList();

    [Fact]
    public void Placement_LabelConstraints_OnlyMatchingRuntimes()
    {
        var fleet = Snapshot(
            [Fleets.Runtime("a", labels: ("zone", "1")), Fleets.Runtime("b", labels: ("zone", "2")), Fleets.Runtime("c", labels: [("zone", "2"), ("gpu", "yes")])],
            [Deployment("web", replicas: 3, labels: ("zone", "2"))]);

        var plan = Plan(fleet);

        Assert.Equal(["b", "c"], PlacedOn(plan, "web").Order());
        Assert.Contains("2 of 3 replica(s) placed", plan.Unplaced["web"]);
    }

    [Fact]
    public void Placement_NoRuntimeMatches_ExplainsWhy()
    {
        var plan = Plan(Snapshot([Fleets.Runtime("a", labels: ("zone", "1"))], [Deployment("web", labels: ("zone", "9"))]));

        Assert.Empty(plan.Actions);
        Assert.Contains("no online runtime with labels zone=9", plan.Unplaced["web"]);
    }

    [Fact]
    public void Placement_FullRuntime_IsSkipped()
    {
        var fleet = Snapshot(
            [Fleets.Runtime("a", maxModules: 1), Fleets.Runtime("b", maxModules: 5)],
            [Deployment("old"), Deployment("web")],
            [Module("m1", "old", "a")]);

        Assert.Equal(["b"], PlacedOn(Plan(fleet), "web"));
    }

    [Fact]
    public void Placement_AllRuntimesFull_StaysUnplacedWithReason()
    {
        var fleet = Snapshot([Fleets.Runtime("a", maxModules: 1)], [Deployment("old"), Deployment("web")], [Module("m1", "old", "a")]);

        var plan = Plan(fleet);

        Assert.Empty(plan.Of<PlaceModule>());
        Assert.Contains("full", plan.Unplaced["web"]);
    }

    [Fact]
    public void Placement_Replicas_SpreadOnePerRuntime()
    {
        var fleet = Snapshot([Fleets.Runtime("a"), Fleets.Runtime("b"), Fleets.Runtime("c")], [Deployment("web", replicas: 3)]);

        Assert.Equal(["a", "b", "c"], PlacedOn(Plan(fleet), "web").Order());
    }

    [Fact]
    public void Placement_MoreReplicasThanRuntimes_NeverStacksTwoOnOneRuntime()
    {
        var plan = Plan(Snapshot([Fleets.Runtime("a"), Fleets.Runtime("b")], [Deployment("web", replicas: 3)]));

        Assert.Equal(["a", "b"], PlacedOn(plan, "web").Order());
        Assert.Contains("already host a replica", plan.Unplaced["web"]);
    }

    [Fact]
    public void Placement_PrefersLeastLoadedRuntime()
    {
        var fleet = Snapshot(
            [Fleets.Runtime("busy", cpu: 90), Fleets.Runtime("crowded"), Fleets.Runtime("idle")],
            [Deployment("x"), Deployment("y"), Deployment("web")],
            [Module("m1", "x", "crowded"), Module("m2", "y", "crowded")]);

        Assert.Equal(["idle"], PlacedOn(Plan(fleet), "web"));
    }

    [Fact]
    public void Placement_SeveralDeployments_SpreadAcrossRuntimesInOnePass()
    {
        var plan = Plan(Snapshot([Fleets.Runtime("a"), Fleets.Runtime("b")], [Deployment("one"), Deployment("two")]));

        Assert.NotEqual(PlacedOn(plan, "one").Single(), PlacedOn(plan, "two").Single());
    }

    [Fact]
    public void Placement_UnsupportedKind_IsSkipped()
    {
        var jobsOnly = Fleets.Runtime("jobs") with { Kinds = ["jobs"] };
        var plan = Plan(Snapshot([jobsOnly, Fleets.Runtime("full")], [Deployment("web")]));

        Assert.Equal(["full"], PlacedOn(plan, "web"));
    }

    [Fact]
    public void Placement_SatisfiedDeployment_DoesNothing()
    {
        var fleet = Snapshot([Fleets.Runtime("a"), Fleets.Runtime("b")], [Deployment("web", replicas: 2)], [Module("m1", "web", "a"), Module("m2", "web", "b", ModuleStatus.Pending)]);

        var plan = Plan(fleet);

        Assert.Empty(plan.Actions);
        Assert.Empty(plan.Unplaced);
    }

    [Fact]
    public void Offline_ModulesOfDeadRuntime_ForgottenAndPlacedElsewhere()
    {
        var fleet = Snapshot(
            [Fleets.Runtime("dead", state: RuntimeState.Offline), Fleets.Runtime("b"), Fleets.Runtime("c")],
            [Deployment("web", replicas: 2)],
            [Module("m1", "web", "dead"), Module("m2", "web", "b")]);

        var plan = Plan(fleet);

        Assert.Equal("m1", plan.Of<ForgetModule>().Single().ModuleId);
        Assert.Equal(["c"], PlacedOn(plan, "web"));
    }

    [Fact]
    public void Drain_WaitsForReplacementToRunBeforeRemoving()
    {
        var fleet = Snapshot([Fleets.Runtime("a", draining: true), Fleets.Runtime("b")], [Deployment("web")], [Module("m1", "web", "a")]);

        var plan = Plan(fleet);

        Assert.Equal(["b"], PlacedOn(plan, "web"));
        Assert.Empty(plan.Of<RemoveModule>());
        Assert.Empty(plan.Of<GrantShutdown>());
    }

    [Fact]
    public void Drain_ReplacementRunning_RemovesModuleFromDrainingRuntime()
    {
        var fleet = Snapshot([Fleets.Runtime("a", draining: true), Fleets.Runtime("b")], [Deployment("web")], [Module("m1", "web", "a"), Module("m2", "web", "b")]);

        var plan = Plan(fleet);

        Assert.Equal("m1", plan.Of<RemoveModule>().Single().ModuleId);
        Assert.Empty(plan.Of<GrantShutdown>());
    }

    [Fact]
    public void Drain_NothingLeft_GrantsShutdown()
    {
        var fleet = Snapshot([Fleets.Runtime("a", draining: true), Fleets.Runtime("b")], [Deployment("web")], [Module("m2", "web", "b")]);

        Assert.Equal("a", Plan(fleet).Of<GrantShutdown>().Single().RuntimeId);
    }

    [Fact]
    public void Drain_DeletionNotConfirmed_NoShutdownYet()
    {
        var fleet = Snapshot(
            [Fleets.Runtime("a", draining: true), Fleets.Runtime("b")], [Deployment("web")],
            [Module("m1", "web", "a", ModuleStatus.Deleting), Module("m2", "web", "b")]);

        Assert.Empty(Plan(fleet).Of<GrantShutdown>());
    }

    [Fact]
    public void Drain_DrainingRuntimeGetsNothingNew()
    {
        var plan = Plan(Snapshot([Fleets.Runtime("a", draining: true)], [Deployment("web")]));

        Assert.Empty(plan.Of<PlaceModule>());
        Assert.Contains("draining", plan.Unplaced["web"]);
    }

    [Fact]
    public void Drain_NoReplacementPossible_RemovedAfterDrainTimeout()
    {
        var fleet = Snapshot([Fleets.Runtime("a", draining: true)], [Deployment("web")], [Module("m1", "web", "a")]);

        Assert.Empty(Plan(fleet).Of<RemoveModule>());
        Assert.Equal("m1", Plan(fleet, T0 + SchedulerSettings.Default.DrainTimeout).Of<RemoveModule>().Single().ModuleId);
    }

    [Fact]
    public void Join_PendingWork_PlacedOnNewRuntime()
    {
        var fleet = Snapshot([Fleets.Runtime("a")], [Deployment("web", replicas: 2)], [Module("m1", "web", "a")]);
        Assert.Empty(Plan(fleet).Of<PlaceModule>());

        var joined = fleet with { Runtimes = fleet.Runtimes.SetItem("b", Fleets.Runtime("b")) };

        Assert.Equal(["b"], PlacedOn(Plan(joined), "web"));
    }

    [Fact]
    public void ScaleDown_RemovesPendingReplicasFirst()
    {
        var fleet = Snapshot(
            [Fleets.Runtime("a"), Fleets.Runtime("b"), Fleets.Runtime("c")], [Deployment("web", replicas: 1)],
            [Module("m1", "web", "a"), Module("m2", "web", "b", ModuleStatus.Pending), Module("m3", "web", "c")]);

        var removed = Plan(fleet).Of<RemoveModule>().Select(r => r.ModuleId).ToList();

        Assert.Equal(2, removed.Count);
        Assert.Contains("m2", removed);
    }

    [Fact]
    public void DeletedDeployment_ModulesRemoved()
    {
        var fleet = Snapshot([Fleets.Runtime("a")], [], [Module("m1", "gone", "a"), Module("m2", "gone", "a", ModuleStatus.Failed)]);

        var plan = Plan(fleet);

        Assert.Equal("m1", plan.Of<RemoveModule>().Single().ModuleId);
        Assert.Equal("m2", plan.Of<ForgetModule>().Single().ModuleId);
    }

    [Fact]
    public void Failure_RuntimeBacksOffThenIsRetried()
    {
        var failed = Module("f1", "web", "a", ModuleStatus.Failed) with { Reason = "hash mismatch" };
        var fleet = Snapshot([Fleets.Runtime("a")], [Deployment("web")], [failed]);

        var now = Plan(fleet);
        Assert.Empty(now.Of<PlaceModule>());
        Assert.Contains("hash mismatch", now.Unplaced["web"]);

        Assert.Equal(["a"], PlacedOn(Plan(fleet, T0 + SchedulerSettings.Default.FailureBackoff), "web"));
    }

    [Fact]
    public void Failure_AnotherRuntimeIsUsedWhileOneBacksOff()
    {
        var fleet = Snapshot([Fleets.Runtime("a"), Fleets.Runtime("b")], [Deployment("web")], [Module("f1", "web", "a", ModuleStatus.Failed)]);

        Assert.Equal(["b"], PlacedOn(Plan(fleet), "web"));
    }

    [Fact]
    public void Update_NewVersionPlacedWhereFree_OldRemovedOnceItRuns()
    {
        var runtimes = new[] { Fleets.Runtime("a"), Fleets.Runtime("b") };
        var first = Plan(Snapshot(runtimes, [Deployment("web", hash: 'b')], [Module("old", "web", "a", hash: 'a')]));
        Assert.Equal(["b"], PlacedOn(first, "web"));
        Assert.Empty(first.Of<RemoveModule>());

        var second = Plan(Snapshot(runtimes, [Deployment("web", hash: 'b')], [Module("old", "web", "a", hash: 'a'), Module("new", "web", "b", hash: 'b')]));
        Assert.Equal("old", second.Of<RemoveModule>().Single().ModuleId);
    }

    [Fact]
    public void Update_NoFreeRuntime_RemovesOneOldReplicaAtATime()
    {
        var plan = Plan(Snapshot(
            [Fleets.Runtime("a"), Fleets.Runtime("b")], [Deployment("web", replicas: 2, hash: 'b')],
            [Module("old1", "web", "a", hash: 'a'), Module("old2", "web", "b", hash: 'a')]));

        Assert.Equal("old1", plan.Of<RemoveModule>().Single().ModuleId);
        Assert.Empty(plan.Of<PlaceModule>());

        // While that one is being deleted (out of the routes, its runtime not yet told), the other keeps serving.
        var next = Plan(Snapshot(
            [Fleets.Runtime("a"), Fleets.Runtime("b")], [Deployment("web", replicas: 2, hash: 'b')],
            [Module("old1", "web", "a", ModuleStatus.Deleting, hash: 'a'), Module("old2", "web", "b", hash: 'a')]));
        Assert.Empty(next.Of<RemoveModule>());
        Assert.Empty(next.Of<PlaceModule>());
    }

    [Fact]
    public void Plan_SameInput_SamePlan()
    {
        var fleet = Snapshot([Fleets.Runtime("a"), Fleets.Runtime("b"), Fleets.Runtime("c")], [Deployment("one", 2), Deployment("two", 2)]);

        Assert.Equal(Plan(fleet).Actions, Plan(fleet).Actions);
    }
}
