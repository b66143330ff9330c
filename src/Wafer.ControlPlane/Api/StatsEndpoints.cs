using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wafer.ControlPlane.Fleet;
using Wafer.ControlPlane.Scheduling;

namespace Wafer.ControlPlane.Api;

/// <summary><c>GET /api/stats</c>: how far behind the reconciler runs, and how big the fleet is.</summary>
internal static class StatsEndpoints
{
    public static IEndpointRouteBuilder MapStats(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/stats", (FleetView view, FleetInbox inbox, ReconcileStats stats, FleetReconciler reconciler) =>
            {
                var fleet = view.Current;
                var modules = new int[Enum.GetValues<ModuleStatus>().Length];
                foreach (var module in fleet.Modules.Values)
                {
                    modules[(int)module.Status]++;
                }

                return Results.Ok(new StatsView(
                    stats.Snapshot(inbox.Depth),
                    new FleetCounts(fleet.Version, fleet.Deployments.Count, fleet.Runtimes.Values.Count(r => r.Alive), fleet.Runtimes.Count,
                        modules[(int)ModuleStatus.Pending], modules[(int)ModuleStatus.Running], modules[(int)ModuleStatus.Failed],
                        modules[(int)ModuleStatus.Deleting]),
                    new SchedulingStatsView(reconciler.Counts.Passes, reconciler.Counts.FullPasses, reconciler.Counts.Deployments)));
            })
            .WithTags("stats").WithName("GetStats")
            .WithSummary("Reconciler lag (inbox arrival to applied, over the last 4096 events), scheduling passes and fleet counts")
            .Produces<StatsView>();
        return endpoints;
    }
}

internal sealed record StatsView(ReconcileStatsView Reconciler, FleetCounts Fleet, SchedulingStatsView Scheduling);

/// <param name="Passes">Scheduling passes since start.</param>
/// <param name="FullPasses">Of those, passes over every deployment (a runtime or the broker changed, or the periodic one).</param>
/// <param name="Deployments">Deployments reconciled, summed over every pass: the rest reconcile only what their events touched.</param>
internal sealed record SchedulingStatsView(long Passes, long FullPasses, long Deployments);

internal sealed record FleetCounts(
    long Version, int Deployments, int RuntimesAlive, int Runtimes, int ModulesPending, int ModulesRunning, int ModulesFailed, int ModulesDeleting);
