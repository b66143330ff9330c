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
/// </summary>
public static class Scheduler
{
    public static SchedulePlan Plan(FleetSnapshot fleet, DateTimeOffset now, SchedulerSettings settings)
    {
        var pass = new SchedulingPass(fleet, now, settings);
        pass.Tidy();
        foreach (var deployment in fleet.Deployments.Values.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            pass.Reconcile(deployment);
        }

        pass.GrantShutdowns();
        return pass.ToPlan();
    }
}
