using Microsoft.Extensions.DependencyInjection;
using Prometheus;
using Wafer.ControlPlane.Fleet;
using Wafer.ControlPlane.Scheduling;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// The orchestrator's part of <c>GET /metrics</c>, read from the current fleet snapshot and the reconciler's stats at
/// each scrape (the same figures as <c>GET /api/stats</c>): runtimes and modules by state, deployments; the
/// reconciler's lag is a histogram fed as events are applied.
/// </summary>
internal static class FleetMetrics
{
    /// <summary>Lag buckets, 1 ms to 30 s: a healthy reconciler applies an event within milliseconds.</summary>
    private static readonly double[] LagBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    public static void Register(IServiceProvider services)
    {
        var registry = services.GetRequiredService<CollectorRegistry>();
        var view = services.GetRequiredService<FleetView>();
        var stats = services.GetRequiredService<ReconcileStats>();
        var inbox = services.GetRequiredService<FleetInbox>();
        var factory = Metrics.WithCustomRegistry(registry);
        var runtimes = factory.CreateGauge("wafer_fleet_runtimes", "Runtimes the orchestrator knows, by state (online, draining, offline)", "state");
        var modules = factory.CreateGauge("wafer_fleet_modules", "Replicas placed, by state (pending, running, failed, deleting)", "state");
        var deployments = factory.CreateGauge("wafer_fleet_deployments", "Deployments");
        var events = factory.CreateGauge("wafer_reconciler_events", "Events the reconciler has applied since start");
        var depth = factory.CreateGauge("wafer_reconciler_inbox_depth", "Events waiting in the reconciler's inbox");
        var lag = factory.CreateHistogram("wafer_reconciler_lag_seconds", "Time from an event's arrival to the end of the batch that applied it",
            new HistogramConfiguration { Buckets = LagBuckets });
        stats.ObserveLags(lag.Observe);
        registry.AddBeforeCollectCallback(() =>
        {
            var fleet = view.Current;
            foreach (var state in Enum.GetValues<RuntimeState>())
            {
                runtimes.WithLabels(StateNames.Of(state)).Set(fleet.Runtimes.Values.Count(r => r.State == state));
            }

            foreach (var status in Enum.GetValues<ModuleStatus>())
            {
                modules.WithLabels(StateNames.Of(status)).Set(fleet.Modules.Values.Count(m => m.Status == status));
            }

            deployments.Set(fleet.Deployments.Count);
            var reconciler = stats.Snapshot(inbox.Depth);
            events.Set(reconciler.Events);
            depth.Set(reconciler.InboxDepth);
        });
    }
}
