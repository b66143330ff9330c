using Wafer.ControlPlane.Tests.Support;
using static Wafer.ControlPlane.Tests.Support.Fleets;

namespace Wafer.ControlPlane.Tests.Scheduling;

/// <summary>
/// Placement follows one rule however the scheduler finds its candidates: each missing replica goes to the placeable
/// runtime with room that fits the deployment, hosts none of its replicas and is not backing off, with the lowest
/// score (share of slots in use plus half the CPU load), ties broken by runtime id; deployments in name order. Checked
/// against that rule written out plainly, over varied fleets.
/// </summary>
public sealed class PlacementOrderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Placements_FollowLowestScoreThenId_OverVariedFleets(int seed)
    {
        var random = new Random(seed);
        var zones = new[] { "1", "2", "3" };
        var runtimes = Enumerable.Range(0, 80).Select(i => Fleets.Runtime(
                $"rt-{random.Next(1000):D3}-{i:D2}",
                maxModules: random.Next(1, 6),
                state: random.Next(12) == 0 ? RuntimeState.Offline : RuntimeState.Online,
                draining: random.Next(12) == 0,
                cpu: random.Next(4) * 20, // equal loads, so ties on score are common and broken by id
                labels: ("zone", zones[random.Next(zones.Length)])))
            .ToList();
        var deployments = Enumerable.Range(0, 120).Select(i => Deployment(
                $"d-{i:D3}", replicas: random.Next(1, 4), labels: random.Next(3) == 0 ? [("zone", zones[random.Next(zones.Length)])] : []))
            .ToList();
        var online = runtimes.Where(r => r.Alive).ToList();
        var modules = new List<PlacedModule>();
        for (var i = 0; i < 60; i++)
        {
            var status = random.Next(4) == 0 ? ModuleStatus.Failed : ModuleStatus.Running;
            modules.Add(Module($"m-{i:D3}", deployments[random.Next(deployments.Count)].Name, online[random.Next(online.Count)].Id, status));
        }

        var fleet = Snapshot(runtimes, deployments, modules);

        var placed = Scheduler.Plan(fleet, T0, SchedulerSettings.Default).Of<PlaceModule>().Select(p => (p.Deployment, p.RuntimeId)).ToList();

        Assert.Equal(ByTheRule(fleet), placed);
        Assert.True(placed.Count > 100, $"the fleet should leave plenty to place ({placed.Count} placed)");
    }

    /// <summary>The placement rule, scanning every runtime for every replica.</summary>
    private static List<(string Deployment, string RuntimeId)> ByTheRule(FleetSnapshot fleet)
    {
        var kept = fleet.Modules.Values.Where(m => m.Status == ModuleStatus.Running && fleet.Runtimes[m.RuntimeId].Alive).ToList();
        var occupancy = kept.GroupBy(m => m.RuntimeId).ToDictionary(g => g.Key, g => g.Count());
        var placed = new List<(string, string)>();
        foreach (var deployment in fleet.Deployments.Values.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            // replicas that count: on an accepting runtime that still fits the deployment
            var current = kept.Count(m => m.Deployment == deployment.Name && fleet.Runtimes[m.RuntimeId] is { Accepting: true } r && deployment.Accepts(r.Labels));
            var failedOn = fleet.Modules.Values.Where(m => m.Deployment == deployment.Name && m.Status == ModuleStatus.Failed).Select(m => m.RuntimeId).ToHashSet();
            var hostsAll = kept.Where(m => m.Deployment == deployment.Name).Select(m => m.RuntimeId).ToHashSet();
            for (var need = deployment.Replicas - current; need > 0; need--)
            {
                var best = fleet.Runtimes.Values
                    .Where(r => r.Placeable && deployment.Accepts(r.Labels) && !hostsAll.Contains(r.Id) && !failedOn.Contains(r.Id)
                                && occupancy.GetValueOrDefault(r.Id) < r.Capacity.MaxModules)
                    .OrderBy(r => (double)occupancy.GetValueOrDefault(r.Id) / r.Capacity.MaxModules + r.Load!.CpuPercent / 200)
                    .ThenBy(r => r.Id, StringComparer.Ordinal)
                    .FirstOrDefault();
                if (best is null)
                {
                    break;
                }

                placed.Add((deployment.Name, best.Id));
                occupancy[best.Id] = occupancy.GetValueOrDefault(best.Id) + 1;
                hostsAll.Add(best.Id);
            }
        }

        return placed;
    }
}
