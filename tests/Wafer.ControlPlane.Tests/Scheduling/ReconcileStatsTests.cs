using System.Diagnostics;

namespace Wafer.ControlPlane.Tests.Scheduling;

public sealed class ReconcileStatsTests
{
    private static PostedEvent PostedMsBefore(long end, double ms) => new(new Tick(), end - (long)(ms * Stopwatch.Frequency / 1000));

    [Fact]
    public void Snapshot_NothingRecorded_IsZero()
    {
        var view = new ReconcileStats().Snapshot(inboxDepth: 3);

        Assert.Equal(new ReconcileStatsView(0, 0, 3, 0, 0, 0, 0, 0), view);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public void Record_LagsFromArrivalToBatchEnd_GivePercentiles()
    {
        var stats = new ReconcileStats();
        var end = Stopwatch.GetTimestamp();
        stats.Record([.. Enumerable.Range(1, 100).Select(ms => PostedMsBefore(end, ms))], startedAt: end - Stopwatch.Frequency / 100, endedAt: end);

        var view = stats.Snapshot(0);

        Assert.Equal(100, view.Events);
        Assert.Equal(1, view.Batches);
        Assert.InRange(view.LagP50Ms, 49.9, 50.1);
        Assert.InRange(view.LagP99Ms, 98.9, 99.1);
        Assert.InRange(view.LagMaxMs, 99.9, 100.1);
        Assert.InRange(view.BusyMs, 9.9, 10.1);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public void Record_MoreThanTheWindow_KeepsOnlyTheLatestLags()
    {
        var stats = new ReconcileStats();
        var end = Stopwatch.GetTimestamp();
        stats.Record([PostedMsBefore(end, 5000)], end, end);
        stats.Record([.. Enumerable.Repeat(PostedMsBefore(end, 1), ReconcileStats.Window)], end, end);

        var view = stats.Snapshot(0);

        Assert.InRange(view.LagMaxMs, 0.9, 1.1);
        Assert.InRange(view.LagMaxSinceStartMs, 4999, 5001);
    }
}
