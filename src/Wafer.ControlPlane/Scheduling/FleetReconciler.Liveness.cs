using Wafer.ControlPlane.Fleet;

namespace Wafer.ControlPlane.Scheduling;

// Whether a runtime is gone: routes change on evidence about the runtime, not about the broker. A last will, missed
// keepalives or the orchestrator's own broker going away say only that the control channel lost the runtime (a broker
// that stops publishes every client's will). Such a runtime stays in the routes, gets no new modules, and is checked
// over HTTP (IRuntimeProbes): it leaves when a check fails, and is back as soon as it speaks on the control channel.
internal sealed partial class FleetReconciler
{
    /// <summary>When each runtime the control channel lost is to be checked again.</summary>
    private readonly Dictionary<string, DateTimeOffset> _probeDue = new(StringComparer.Ordinal);

    /// <summary>Runtimes the control channel lost that have answered a check since (logged once).</summary>
    private readonly HashSet<string> _stillServing = new(StringComparer.Ordinal);

    /// <summary>Marks <paramref name="runtime"/> lost to the control channel (if it is not already) and checks its health.</summary>
    private void ControlLost(RuntimeNode runtime, string why)
    {
        if (!runtime.Alive)
        {
            return;
        }

        var now = Now;
        if (runtime.ControlLostAt is null)
        {
            LogControlLost(runtime.Name, runtime.Id, why, runtime.Url);
            runtime = runtime with { ControlLostAt = now };
            SetRuntime(runtime);
        }

        _probeDue[runtime.Id] = now + settings.ProbeInterval;
        probes.Probe(runtime.Id, runtime.Url, now);
    }

    /// <summary>The runtime spoke on the control channel: it is back in full.</summary>
    private void HeardFrom(string runtimeId)
    {
        if (_fleet.Runtimes.TryGetValue(runtimeId, out var runtime) && runtime.ControlLostAt is not null)
        {
            _probeDue.Remove(runtimeId);
            _stillServing.Remove(runtimeId);
            LogControlBack(runtime.Name, runtime.Id);
            SetRuntime(runtime with { ControlLostAt = null });
            TouchAll();
        }
    }

    private void OnProbed(RuntimeProbed probed)
    {
        if (!_fleet.Runtimes.TryGetValue(probed.RuntimeId, out var runtime) || !runtime.Alive
            || runtime.ControlLostAt is not { } lostAt || probed.RequestedAt < lostAt)
        {
            return; // back on the control channel, gone already, or an answer to an older question
        }

        if (probed.Reachable)
        {
            if (_stillServing.Add(runtime.Id))
            {
                LogStillServing(runtime.Name, runtime.Id, probed.Detail);
            }

            return;
        }

        LogUnreachable(runtime.Name, runtime.Id, probed.Detail);
        _probeDue.Remove(runtime.Id);
        _stillServing.Remove(runtime.Id);
        SaveRuntime(runtime with { State = RuntimeState.Offline, ControlLostAt = null });
        TouchAll();
    }

    /// <summary>Checks again the runtimes whose check is due.</summary>
    private void ProbeDue(DateTimeOffset now)
    {
        foreach (var (id, due) in _probeDue.Where(p => p.Value <= now).ToList())
        {
            if (_fleet.Runtimes.TryGetValue(id, out var runtime) && runtime.Alive && runtime.ControlLostAt is not null)
            {
                _probeDue[id] = now + settings.ProbeInterval;
                probes.Probe(id, runtime.Url, now);
            }
            else
            {
                _probeDue.Remove(id);
            }
        }
    }
}
