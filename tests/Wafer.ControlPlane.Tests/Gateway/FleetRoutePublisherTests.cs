using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Wafer.ControlPlane.Artifacts;
using Wafer.ControlPlane.Gateway;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Gateway.Health;
using Wafer.Gateway.Routes;
using Wafer.Tests.Shared;
using static Wafer.ControlPlane.Tests.Support.Fleets;

namespace Wafer.ControlPlane.Tests.Gateway;

/// <summary>The route feed under a burst of fleet snapshots: rebuilds taken together, the last state always published.</summary>
public sealed class FleetRoutePublisherTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Burst_OfSnapshots_RebuildsAtMostOncePerInterval_AndPublishesTheLastState()
    {
        var (view, routes, publisher) = Start();
        using var stop = new CancellationTokenSource();
        await publisher.StartAsync(stop.Token);
        try
        {
            var clock = Stopwatch.StartNew();
            const int snapshots = 200;
            for (var i = 1; i <= snapshots; i++)
            {
                // each snapshot starts one more deployment's replica: every one of them changes the routes
                view.Publish(Fleet(i) with { Version = i });
                await Task.Delay(2);
            }

            await Eventually.TrueAsync(() => routes.Current.Deployments.Count == snapshots, $"the routes name all {snapshots} deployments",
                context: () => $"{routes.Current.Deployments.Count} routed, version {routes.Current.Version}");
            var elapsed = clock.Elapsed;

            Assert.Equal(snapshots, routes.Current.Version);
            // one build at once, then at most one per interval while snapshots keep coming, and the last one after them
            Assert.InRange(publisher.Builds, 2, (long)(elapsed / Interval) + 2);
        }
        finally
        {
            await stop.CancelAsync();
            await publisher.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Change_AfterAQuietSpell_IsPublishedWithoutWaitingForTheInterval()
    {
        // the clock moves only when told: a publisher that waited for the interval would wait ten real minutes
        var time = new ManualTimeProvider();
        var (view, routes, publisher) = Start(TimeSpan.FromMinutes(10), time);
        using var stop = new CancellationTokenSource();
        await publisher.StartAsync(stop.Token);
        try
        {
            await Eventually.TrueAsync(() => publisher.Builds == 1, "the routes of the empty fleet are built at start");
            time.Advance(TimeSpan.FromMinutes(11));
            view.Publish(Fleet(3) with { Version = 7 });

            await Eventually.TrueAsync(() => routes.Current.Version == 7, "the first change after a quiet spell is routed at once");
            Assert.Equal(3, routes.Current.Deployments.Count);
            Assert.Equal(2, publisher.Builds);
        }
        finally
        {
            await stop.CancelAsync();
            await publisher.StopAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task Rebuild_WaitsAtLeastItsCostTimesTheMultiple_SoALargeFleetsFeedTakesASmallShareOfACore()
    {
        // every rebuild "takes" 40 ms by this clock, so the next waits 40 ms x 25 = 1 s of it, not the 10 ms minimum
        var time = new CostlyClock(TimeSpan.FromMilliseconds(40));
        var (view, routes, publisher) = Start(TimeSpan.FromMilliseconds(10), time);
        using var stop = new CancellationTokenSource();
        await publisher.StartAsync(stop.Token);
        try
        {
            await Eventually.TrueAsync(() => publisher.Builds == 1, "the routes of the empty fleet are built at start");
            time.Advance(TimeSpan.FromMilliseconds(500));
            view.Publish(Fleet(3) with { Version = 7 });

            await Task.Delay(TimeSpan.FromMilliseconds(300)); // with only the minimum, it would be built within 10 ms
            Assert.Equal(1, publisher.Builds);
            Assert.Empty(routes.Current.Deployments);

            time.Advance(TimeSpan.FromMilliseconds(500)); // a full second by this clock since the first build
            await Eventually.TrueAsync(() => routes.Current.Version == 7, "the change is routed once the gap is over");
            Assert.Equal(2, publisher.Builds);
            Assert.Equal(3, routes.Current.Deployments.Count);
        }
        finally
        {
            await stop.CancelAsync();
            await publisher.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>A wall clock that moves when told, and whose every measured duration is <paramref name="cost"/>.</summary>
    private sealed class CostlyClock(TimeSpan cost) : TimeProvider
    {
        private readonly ManualTimeProvider _wall = new();
        private long _ticks;

        public override DateTimeOffset GetUtcNow() => _wall.GetUtcNow();

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, cost.Ticks);

        public void Advance(TimeSpan by) => _wall.Advance(by);
    }

    private static (FleetView View, RouteState Routes, FleetRoutePublisher Publisher) Start(TimeSpan? interval = null, TimeProvider? time = null)
    {
        var view = new FleetView();
        var routes = new RouteState(new RouteSnapshotBuilder(new DestinationRegistry(), NullLogger<RouteSnapshotBuilder>.Instance), NullLogger<RouteState>.Instance);
        var builder = new FleetRouteBuilder(new ArtifactFiles(TestDatabases.TempFolder()));
        return (view, routes, new FleetRoutePublisher(view, builder, routes, interval ?? Interval, time ?? TimeProvider.System));
    }

    /// <summary>One runtime running one replica of each of <paramref name="deployments"/> deployments.</summary>
    private static FleetSnapshot Fleet(int deployments) => Snapshot(
        [Fleets.Runtime("a", maxModules: 1000)],
        Enumerable.Range(0, deployments).Select(i => Deployment($"d{i:D4}")),
        Enumerable.Range(0, deployments).Select(i => Module($"m{i:D4}", $"d{i:D4}", "a")));
}
