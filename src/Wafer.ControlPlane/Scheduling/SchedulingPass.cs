using System.Collections.Immutable;
using Wafer.ControlPlane.Fleet;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>The working state of one <see cref="Scheduler.Plan"/> call: what is planned so far and what it occupies.</summary>
internal sealed class SchedulingPass
{
    private readonly FleetSnapshot _fleet;
    private readonly DateTimeOffset _now;
    private readonly SchedulerSettings _settings;
    private readonly List<FleetAction> _actions = [];
    private readonly ImmutableDictionary<string, string>.Builder _unplaced = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
    private readonly HashSet<string> _gone = new(StringComparer.Ordinal);
    private readonly HashSet<string> _removing = new(StringComparer.Ordinal);
    private readonly HashSet<string> _ended = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _occupancy = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _hosts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<PlacedModule>> _byDeployment = new(StringComparer.Ordinal);

    // The snapshot's immutable dictionaries copied once: a pass looks runtimes up thousands of times, and
    // enumerating or probing an ImmutableDictionary costs several times a Dictionary's (500 runtimes and 5,000
    // modules: docs/benchmarks.md).
    private readonly Dictionary<string, RuntimeNode> _runtimes;
    private readonly List<PlacedModule> _modules;

    // Built on the first placement, once Tidy has counted occupancy; kept in step by Occupy.
    private PlacementCandidates? _candidates;

    public SchedulingPass(FleetSnapshot fleet, DateTimeOffset now, SchedulerSettings settings)
    {
        _fleet = fleet;
        _now = now;
        _settings = settings;
        _runtimes = new Dictionary<string, RuntimeNode>(fleet.Runtimes, StringComparer.Ordinal);
        _modules = [.. fleet.Modules.Values];
        foreach (var module in _modules)
        {
            if (!_byDeployment.TryGetValue(module.Deployment, out var list))
            {
                _byDeployment[module.Deployment] = list = [];
            }

            list.Add(module);
        }
    }

    /// <summary>Rule 1: forget what is gone, delete what is no longer wanted, prune old failures; then count occupancy.</summary>
    public void Tidy()
    {
        // Usually nothing is found: collect first, and sort only what was found (actions go out in module id order).
        var found = new List<(PlacedModule Module, bool Forget, string Reason)>();
        foreach (var module in _modules)
        {
            if (!_runtimes.TryGetValue(module.RuntimeId, out var runtime) || !runtime.Alive)
            {
                found.Add((module, true, "its runtime is offline"));
                if (module.Status is ModuleStatus.Pending or ModuleStatus.Running
                    && _fleet.Deployments.GetValueOrDefault(module.Deployment)?.Program is { Run.Restart: RestartPolicy.Never, Status: not { IsFinal: true } })
                {
                    EndProgram(module.Deployment, ProgramStatus.Lost, ProgramStatus.Lost,
                        $"its runtime {runtime?.Name ?? module.RuntimeId} was lost while it ran; its restart policy is never");
                }
            }
            else if (!_fleet.Deployments.TryGetValue(module.Deployment, out var deployment))
            {
                if (module.Status == ModuleStatus.Failed)
                {
                    found.Add((module, true, "its deployment was removed"));
                }
                else if (module.Status != ModuleStatus.Deleting)
                {
                    found.Add((module, false, "its deployment was removed"));
                }
            }
            else if (module.Status == ModuleStatus.Failed && module.Hash != deployment.Hash)
            {
                found.Add((module, true, "the deployment moved to another version"));
            }
        }

        foreach (var (module, forget, reason) in found.OrderBy(f => f.Module.Id, StringComparer.Ordinal))
        {
            if (forget)
            {
                Forget(module, reason);
            }
            else
            {
                Remove(module, reason);
            }
        }

        foreach (var failed in _byDeployment.Values
                     .Where(list => list.Count(m => m.Status == ModuleStatus.Failed) > _settings.KeepFailed)
                     .SelectMany(list => list
                     .Where(m => m.Status == ModuleStatus.Failed && !_gone.Contains(m.Id))
                     .OrderByDescending(m => m.UpdatedAt).ThenBy(m => m.Id, StringComparer.Ordinal)
                     .Skip(_settings.KeepFailed)))
        {
            Forget(failed, "an older failure");
        }

        foreach (var module in _modules.Where(m => m.Occupies && !_gone.Contains(m.Id)))
        {
            _occupancy[module.RuntimeId] = Occupancy(module.RuntimeId) + 1;
            HostsOf(module.Deployment).Add(module.RuntimeId);
        }
    }

    /// <summary>Rules 2 to 4 for one deployment.</summary>
    public void Reconcile(Deployment deployment)
    {
        var live = ModulesOf(deployment.Name)
            .Where(m => m.Status is ModuleStatus.Pending or ModuleStatus.Running && !_gone.Contains(m.Id) && !_removing.Contains(m.Id))
            .ToList();
        var current = live.Where(m => m.Hash == deployment.Hash && _runtimes[m.RuntimeId] is { Accepting: true } r && Fits(deployment, r)).ToList();
        var leaving = live.Where(m => !current.Contains(m)).ToList();
        if (deployment.Program is { } program && ReconcileProgram(deployment, program, live, leaving))
        {
            return;
        }

        if (current.Count > deployment.Replicas)
        {
            var extras = current
                .OrderBy(m => m.Status == ModuleStatus.Pending ? 0 : 1)
                .ThenByDescending(m => Score(_runtimes[m.RuntimeId]))
                .ThenBy(m => m.Id, StringComparer.Ordinal)
                .Take(current.Count - deployment.Replicas)
                .ToList();
            foreach (var extra in extras)
            {
                Remove(extra, $"more than {deployment.Replicas} replica(s) wanted");
            }

            current = current.Except(extras).ToList();
        }

        var need = deployment.Replicas - current.Count;
        var placed = 0;
        while (need > 0 && BestCandidate(deployment) is { } runtime)
        {
            _actions.Add(new PlaceModule(deployment.Name, runtime.Id));
            Occupy(runtime);
            HostsOf(deployment.Name).Add(runtime.Id);
            need--;
            placed++;
        }

        var runningCurrent = current.Count(m => m.Status == ModuleStatus.Running);
        foreach (var module in leaving)
        {
            var runtime = _runtimes[module.RuntimeId];
            if (runningCurrent >= deployment.Replicas)
            {
                Remove(module, module.Hash != deployment.Hash ? $"replaced by version {Short(deployment.Hash)}"
                    : runtime.Accepting ? "its runtime no longer matches the deployment's constraints" : "moved off a draining runtime");
            }
            else if (!runtime.Accepting && runtime.DrainStartedAt is { } started && _now - started >= _settings.DrainTimeout)
            {
                Remove(module, $"the drain of {runtime.Name} timed out after {_settings.DrainTimeout.TotalSeconds:0}s before a replacement ran");
            }
        }

        if (need > 0)
        {
            // One at a time: while a replica is being deleted (its slot frees soon), no other is removed to make room.
            if (placed == 0 && !current.Any(m => m.Status == ModuleStatus.Pending)
                && !ModulesOf(deployment.Name).Any(m => m.Status == ModuleStatus.Deleting) && MakeRoom(deployment, leaving))
            {
                _unplaced[deployment.Name] = $"rolling update: removing a replica of an older version to make room for {Short(deployment.Hash)}";
            }
            else
            {
                _unplaced[deployment.Name] = Explain(deployment, deployment.Replicas - need);
            }
        }
    }

    /// <summary>
    /// A program module is never run twice at once: an ended program is removed and not placed again; one leaving its
    /// runtime (a drain) stops there first and is placed again under its uuid once gone (<c>always</c>,
    /// <c>on-failure</c>), or ends there (<c>never</c>). True when that settles the deployment for this pass.
    /// </summary>
    private bool ReconcileProgram(Deployment deployment, ProgramSpec program, List<PlacedModule> live, List<PlacedModule> leaving)
    {
        if (program.Status is { IsFinal: true } || _ended.Contains(deployment.Name))
        {
            foreach (var module in live)
            {
                Remove(module, "its program has ended");
            }

            return true;
        }

        if (leaving.Count > 0)
        {
            foreach (var module in leaving)
            {
                var runtime = _runtimes[module.RuntimeId];
                if (program.Run.Restart == RestartPolicy.Never)
                {
                    EndProgram(deployment.Name, ProgramStatus.Exited, "drained", $"stopped: its runtime {runtime.Name} is draining and its restart policy is never");
                    Remove(module, $"its runtime {runtime.Name} is draining; restart policy never: stopped, not moved");
                }
                else
                {
                    Remove(module, runtime.Accepting ? "its runtime no longer matches the module" : $"moved off the draining runtime {runtime.Name}");
                }
            }

            return true;
        }

        if (ModulesOf(deployment.Name).FirstOrDefault(m => m.Status == ModuleStatus.Deleting && !_gone.Contains(m.Id)) is { } stopping)
        {
            _unplaced[deployment.Name] = $"waiting for the program to stop on runtime {stopping.RuntimeId} before it is placed again";
            return true;
        }

        return false;
    }

    private void EndProgram(string deployment, string state, string ended, string reason)
    {
        if (_ended.Add(deployment))
        {
            _actions.Add(new EndProgram(deployment, state, ended, reason));
        }
    }

    /// <summary>Rule 5: a draining runtime with nothing left on it may stop.</summary>
    public void GrantShutdowns()
    {
        foreach (var runtime in _fleet.Runtimes.Values.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            if (runtime.DrainRequested && runtime.Alive && !runtime.ShutdownSent && Occupancy(runtime.Id) == 0)
            {
                _actions.Add(new GrantShutdown(runtime.Id));
            }
        }
    }

    /// <summary>The plan; a pass limited to <paramref name="only"/> keeps the other deployments' unplaced reasons.</summary>
    public SchedulePlan ToPlan(IReadOnlySet<string>? only)
    {
        if (only is null)
        {
            return new(_actions, _unplaced.ToImmutable());
        }

        var unplaced = _fleet.Unplaced.RemoveRange(_fleet.Unplaced.Keys.Where(name => only.Contains(name) || !_fleet.Deployments.ContainsKey(name)));
        return new(_actions, unplaced.SetItems(_unplaced));
    }

    private bool MakeRoom(Deployment deployment, List<PlacedModule> leaving)
    {
        var blocker = leaving
            .Where(m => m.Hash != deployment.Hash && !_removing.Contains(m.Id))
            .Select(m => (Module: m, Runtime: _runtimes[m.RuntimeId]))
            .Where(x => x.Runtime.Placeable && Fits(deployment, x.Runtime) && !BackingOff(deployment, x.Runtime))
            .OrderBy(x => x.Module.Id, StringComparer.Ordinal)
            .Select(x => x.Module)
            .FirstOrDefault();
        if (blocker is null)
        {
            return false;
        }

        Remove(blocker, $"making room for version {Short(deployment.Hash)}");
        return true;
    }

    /// <summary>
    /// The least loaded placeable runtime with room that suits the deployment (fits it, hosts none of its replicas, is
    /// not backing off): lowest <see cref="Score"/>, then runtime id.
    /// </summary>
    private RuntimeNode? BestCandidate(Deployment deployment)
    {
        _candidates ??= Candidates();
        var hosts = HostsOf(deployment.Name);
        return _candidates.First(r => Fits(deployment, r) && !hosts.Contains(r.Id) && !BackingOff(deployment, r));
    }

    private PlacementCandidates Candidates()
    {
        var candidates = new PlacementCandidates();
        foreach (var runtime in _runtimes.Values)
        {
            if (runtime.Placeable && HasRoom(runtime))
            {
                candidates.Add(runtime, Score(runtime));
            }
        }

        return candidates;
    }

    private void Occupy(RuntimeNode runtime)
    {
        _occupancy[runtime.Id] = Occupancy(runtime.Id) + 1;
        _candidates?.Occupied(runtime.Id, Score(runtime), HasRoom(runtime));
    }

    private static bool Fits(Deployment deployment, RuntimeNode runtime) =>
        deployment.Accepts(runtime.Labels) && (runtime.Kinds.IsDefaultOrEmpty || runtime.Kinds.Contains(deployment.Kind))
        && (deployment.Program?.Parent is not { } parent || parent == runtime.Id);

    private bool HasRoom(RuntimeNode runtime) => runtime.Capacity.MaxModules <= 0 || Occupancy(runtime.Id) < runtime.Capacity.MaxModules;

    /// <summary>True while a runtime is not to be tried again with the deployment's current version after failures there.</summary>
    private bool BackingOff(Deployment deployment, RuntimeNode runtime)
    {
        // One walk over the deployment's modules, no list: the scheduler asks this of every candidate it considers.
        var failures = 0;
        var last = DateTimeOffset.MinValue;
        foreach (var module in ModulesOf(deployment.Name))
        {
            if (module.Status == ModuleStatus.Failed && module.RuntimeId == runtime.Id && module.Hash == deployment.Hash && !_gone.Contains(module.Id))
            {
                failures++;
                last = module.UpdatedAt > last ? module.UpdatedAt : last;
            }
        }

        if (failures == 0)
        {
            return false;
        }

        var delay = _settings.FailureBackoff * Math.Pow(2, Math.Min(failures - 1, 20));
        if (delay > _settings.MaxFailureBackoff)
        {
            delay = _settings.MaxFailureBackoff;
        }

        return _now < last + delay;
    }

    /// <summary>Lower is better: the share of module slots in use plus half the CPU load.</summary>
    private double Score(RuntimeNode runtime)
    {
        var slots = runtime.Capacity.MaxModules > 0 ? runtime.Capacity.MaxModules : 100;
        return (double)Occupancy(runtime.Id) / slots + (runtime.Load?.CpuPercent ?? 0) / 200;
    }

    private string Explain(Deployment deployment, int placed)
    {
        var accepting = _fleet.Runtimes.Values.Where(r => r.Placeable).ToList();
        var prefix = $"{placed} of {deployment.Replicas} replica(s) placed: ";
        if (accepting.Count == 0)
        {
            return prefix + (_fleet.Runtimes.Values.Any(r => r.Accepting) ? "no online runtime is connected to the broker now"
                : _fleet.Runtimes.Values.Any(r => r.Alive) ? "every runtime is draining" : "no runtime is online");
        }

        var matching = accepting.Where(r => Fits(deployment, r)).ToList();
        if (matching.Count == 0)
        {
            if (deployment.Program?.Parent is { } parent)
            {
                return prefix + $"its parent runtime {parent} is not online and accepting modules";
            }

            var constraints = deployment.Labels.Count == 0 ? "" : " with labels " + string.Join(",", deployment.Labels.Select(l => $"{l.Key}={l.Value}"));
            return prefix + $"no online runtime{constraints} supports {deployment.Kind}";
        }

        var hosting = matching.Count(r => HostsOf(deployment.Name).Contains(r.Id));
        var full = matching.Count(r => !HostsOf(deployment.Name).Contains(r.Id) && !HasRoom(r));
        var failing = matching.Where(r => !HostsOf(deployment.Name).Contains(r.Id) && HasRoom(r) && BackingOff(deployment, r)).ToList();
        var parts = new List<string> { $"{matching.Count} runtime(s) match" };
        if (hosting > 0)
        {
            parts.Add($"{hosting} already host a replica (replicas are spread one per runtime)");
        }

        if (full > 0)
        {
            parts.Add($"{full} full (maxModules)");
        }

        if (failing.Count > 0)
        {
            var last = ModulesOf(deployment.Name)
                .Where(m => m.Status == ModuleStatus.Failed && m.Hash == deployment.Hash && !_gone.Contains(m.Id))
                .MaxBy(m => m.UpdatedAt);
            parts.Add($"{failing.Count} backing off after a failure" + (last?.Reason is { } reason ? $" (last: {reason})" : ""));
        }

        return prefix + string.Join("; ", parts);
    }

    private void Remove(PlacedModule module, string reason)
    {
        if (_removing.Add(module.Id))
        {
            _actions.Add(new RemoveModule(module.Id, reason));
        }
    }

    private void Forget(PlacedModule module, string reason)
    {
        if (_gone.Add(module.Id))
        {
            _actions.Add(new ForgetModule(module.Id, reason));
        }
    }

    private IReadOnlyList<PlacedModule> ModulesOf(string deployment) =>
        _byDeployment.TryGetValue(deployment, out var list) ? list : [];

    private HashSet<string> HostsOf(string deployment)
    {
        if (!_hosts.TryGetValue(deployment, out var hosts))
        {
            _hosts[deployment] = hosts = new HashSet<string>(StringComparer.Ordinal);
        }

        return hosts;
    }

    private int Occupancy(string runtimeId) => _occupancy.GetValueOrDefault(runtimeId);

    private static string Short(string hash) => hash.Length > 12 ? hash[..12] : hash;
}
