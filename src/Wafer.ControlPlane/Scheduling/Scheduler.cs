using Wafer.ControlPlane.Fleet;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>
/// Decides, from one fleet snapshot, what should change to move the fleet toward its deployments. A pure function:
/// the same snapshot and time give the same plan. Rules, in order:
/// <list type="number">
/// <item>Modules on runtimes that are gone are forgotten; modules of removed deployments are deleted; old failures are pruned.</item>
/// <item>A deployment with more current replicas than wanted loses the extras (pending ones first, then the busiest runtimes').</item>
/// <item>Missing replicas go to accepting runtimes (online, not draining) that match every label constraint, support the
/// plugin's kind, have room (<c>maxModules</c>), do not already host that deployment (replicas spread: never two on one
/// runtime) and are not backing off after a failure of that version; the least loaded first.</item>
/// <item>Replicas on draining runtimes and replicas of an older version are deleted once enough current replicas run
/// elsewhere (or a drain outlasts its timeout); when an older version blocks every free slot, one old replica at a
/// time makes room (a rolling update).</item>
/// <item>A draining runtime with nothing left on it is granted shutdown.</item>
/// </list>
/// A pass may be limited to some deployments (<c>only</c>): rules 1 and 5 still look at the whole fleet (one cheap
/// scan), rules 2 to 4 run for those deployments alone, and the others keep their unplaced reasons. The reconciler
/// limits a pass to what its events touched, so a burst of deployments costs each one a pass of its own, not a pass
/// over the whole fleet per change.
/// </summary>
internal static class Scheduler
{
    /// <param name="only">The deployments to reconcile (rules 2 to 4); null: every one.</param>
    public static SchedulePlan Plan(FleetSnapshot fleet, DateTimeOffset now, SchedulerSettings settings, IReadOnlySet<string>? only = null)
    {
        var pass = new SchedulingPass(fleet, now, settings);
        pass.Tidy();
        var deployments = only is null
            ? fleet.Deployments.Values
            : only.Select(name => fleet.Deployments.GetValueOrDefault(name)).OfType<Deployment>();
        foreach (var deployment in deployments.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            pass.Reconcile(deployment);
        }

        pass.GrantShutdowns();
        return pass.ToPlan(only);
    }
}
