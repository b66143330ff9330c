using System.Collections.Immutable;
using Wafer.ControlPlane.Fleet;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Scheduling;

// What runtimes say about themselves: announce, status and keepalive.
internal sealed partial class FleetReconciler
{
    private Task OnRuntimeMessageAsync(RuntimeMessage message, CancellationToken cancellationToken)
    {
        if (!message.Retained && !message.IsWill && message.Envelope.Body is not StatusBody { State: StatusBody.Offline })
        {
            HeardFrom(message.RuntimeId); // sent just now by the runtime itself
        }

        return OnRuntimeMessageCoreAsync(message, cancellationToken);
    }

    private Task OnRuntimeMessageCoreAsync(RuntimeMessage message, CancellationToken cancellationToken) => message.Envelope.Body switch
    {
        AnnounceBody announce => OnAnnounceAsync(message, announce, cancellationToken),
        StatusBody status => OnStatusAsync(message, status, cancellationToken),
        KeepaliveBody keepalive => OnKeepaliveAsync(message, keepalive, cancellationToken),
        ModuleRunningBody running => OnModuleRunningAsync(message, running, cancellationToken),
        ModuleFailedBody failed => OnModuleFailedAsync(message, failed, cancellationToken),
        ModuleDeletedBody deleted => OnModuleDeletedAsync(message, deleted, cancellationToken),
        FatalBody fatal => OnFatal(message, fatal),
        ErrorBody error => OnRuntimeError(message, error),
        JobExitedBody job => OnJobExited(message, job),
        ModuleExitedBody exited => OnModuleExited(message, exited),
        ModuleStartedBody started => OnModuleStarted(message, started),
        _ => Task.CompletedTask,
    };

    /// <summary>
    /// A fresh announcement (re)registers the runtime as online and resyncs its modules with ours. A retained one is
    /// old news: it refreshes what the runtime is, not whether it is alive (its status says that).
    /// </summary>
    private async Task OnAnnounceAsync(RuntimeMessage message, AnnounceBody body, CancellationToken cancellationToken)
    {
        var now = Now;
        var existing = _fleet.Runtimes.GetValueOrDefault(body.RuntimeId);
        var drainRequested = existing?.DrainRequested ?? false;
        var shutdownSent = existing?.ShutdownSent ?? false;
        var drainStarted = existing?.DrainStartedAt;
        RuntimeState state;
        if (message.Retained)
        {
            // Old news: a known runtime keeps its state (statuses change it); a new one takes its retained status.
            state = existing?.State ?? (_reportedStatus.GetValueOrDefault(body.RuntimeId) is { } reported ? ParseState(reported) : RuntimeState.Online);
        }
        else
        {
            state = RuntimeState.Online;
            if (drainRequested && shutdownSent)
            {
                (drainRequested, shutdownSent, drainStarted) = (false, false, null);
            }
        }

        if (drainRequested && state == RuntimeState.Online)
        {
            state = RuntimeState.Draining;
        }

        var runtime = new RuntimeNode(
            body.RuntimeId, body.Name, body.Labels.ToImmutableSortedDictionary(StringComparer.Ordinal), body.Capacity, [.. body.Kinds],
            body.Version, body.Url, body.KeepaliveSec, state, drainRequested, shutdownSent, existing?.FirstSeen ?? now, now, drainStarted, existing?.Load, body.H2cUrl,
            message.Retained ? existing?.ControlLostAt : null);
        SaveRuntime(runtime);
        LogAnnounced(runtime.Name, runtime.Id, runtime.Url, body.Modules.Count, message.Retained);
        if (!message.Retained)
        {
            if (drainRequested && !shutdownSent)
            {
                Send(runtime.Id, MessageTypes.Drain, new DrainBody());
            }

            ResyncModules(runtime, body.Modules);
        }

        TouchAll();
    }

    private async Task OnStatusAsync(RuntimeMessage message, StatusBody body, CancellationToken cancellationToken)
    {
        if (body.State == StatusBody.Offline && (message.IsWill || message.Retained) && _fleet.Runtimes.TryGetValue(body.RuntimeId, out var lost))
        {
            // The broker's word that the connection ended (a will), or old news: a stopping broker says it of everyone.
            ControlLost(lost, message.IsWill ? "its last will arrived (its connection to the broker ended)" : "its retained status says offline");
            return;
        }

        _reportedStatus[body.RuntimeId] = body.State;
        if (!_fleet.Runtimes.TryGetValue(body.RuntimeId, out var runtime))
        {
            if (body.State != StatusBody.Offline)
            {
                await RequestAnnouncementsAsync(cancellationToken);
            }

            return;
        }

        var now = Now;
        var updated = body.State switch
        {
            StatusBody.Draining => runtime with { State = RuntimeState.Draining, DrainRequested = true, DrainStartedAt = runtime.DrainStartedAt ?? now, LastSeen = now },
            StatusBody.Offline => runtime with { State = RuntimeState.Offline },
            _ when runtime.DrainRequested && runtime.ShutdownSent && !message.Retained =>
                runtime with { State = RuntimeState.Online, DrainRequested = false, ShutdownSent = false, DrainStartedAt = null, LastSeen = now },
            _ when runtime.DrainRequested => runtime with { State = RuntimeState.Draining, LastSeen = now },
            // back after it left: its announce follows at once and says which modules it kept; placing on it before
            // that would send it new copies of the replicas it still serves (and then delete those)
            _ when runtime.State == RuntimeState.Offline && !message.Retained => runtime with { LastSeen = now },
            _ => runtime with { State = RuntimeState.Online, LastSeen = now },
        };
        if (updated.State != runtime.State || updated.DrainRequested != runtime.DrainRequested)
        {
            LogRuntimeState(runtime.Name, runtime.Id, body.State, message.Retained);
            SaveRuntime(updated);
            TouchAll();
        }
        else
        {
            SetRuntime(updated);
        }

        if (body.State == StatusBody.Online && updated.DrainRequested && !updated.ShutdownSent && !message.Retained)
        {
            Send(runtime.Id, MessageTypes.Drain, new DrainBody());
        }
    }

    private async Task OnKeepaliveAsync(RuntimeMessage message, KeepaliveBody body, CancellationToken cancellationToken)
    {
        if (!_fleet.Runtimes.TryGetValue(body.RuntimeId, out var runtime))
        {
            await RequestAnnouncementsAsync(cancellationToken);
            return;
        }

        var updated = runtime with { LastSeen = Now, Load = body.Load };
        if (runtime.State == RuntimeState.Offline)
        {
            updated = updated with { State = runtime.DrainRequested ? RuntimeState.Draining : RuntimeState.Online };
            LogRuntimeState(runtime.Name, runtime.Id, "back (keepalive)", false);
            SaveRuntime(updated);
            await RequestAnnouncementsAsync(cancellationToken);
            TouchAll();
        }
        else
        {
            SetRuntime(updated);
        }

        var unknown = false;
        foreach (var reported in body.Modules)
        {
            if (!_fleet.Modules.TryGetValue(reported.ModuleId, out var module) || module.RuntimeId != runtime.Id)
            {
                unknown = true;
            }
            else if (module.Status == ModuleStatus.Pending && reported.State == "running")
            {
                SaveModule(module with { Status = ModuleStatus.Running, Reason = null, UpdatedAt = Now });
                Touch(module.Deployment);
            }
            else if (module.Status is ModuleStatus.Pending or ModuleStatus.Running && reported.State == "failed")
            {
                SaveModule(module with { Status = ModuleStatus.Failed, Reason = "reported failed in a keepalive", UpdatedAt = Now });
                Touch(module.Deployment);
            }
        }

        if (unknown)
        {
            await RequestAnnouncementsAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Brings our modules on <paramref name="runtime"/> in line with what it says it runs: ours it does not run are
    /// sent again, ones it runs that we want are adopted, and ones nobody wants are deleted.
    /// </summary>
    private void ResyncModules(RuntimeNode runtime, IReadOnlyList<ModuleReport> reported)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var report in reported)
        {
            seen.Add(report.ModuleId);
            if (!_fleet.Modules.TryGetValue(report.ModuleId, out var module))
            {
                AdoptOrDelete(runtime, report.ModuleId, report.Plugin, report.Hash, report.State);
            }
            else if (module.RuntimeId != runtime.Id)
            {
                Send(runtime.Id, MessageTypes.DeleteModule, new DeleteModuleBody(report.ModuleId));
            }
            else if (module.Status == ModuleStatus.Deleting || module.Hash != report.Hash)
            {
                Remove(module, module.Status == ModuleStatus.Deleting ? module.Reason ?? "being deleted" : "it runs another version");
            }
            else
            {
                var status = report.State switch
                {
                    "running" => ModuleStatus.Running,
                    "failed" => ModuleStatus.Failed,
                    _ => ModuleStatus.Pending,
                };
                if (status != module.Status)
                {
                    SaveModule(module with { Status = status, Reason = status == ModuleStatus.Failed ? "reported failed in an announcement" : null, UpdatedAt = Now });
                }
            }
        }

        foreach (var module in _fleet.ModulesOn(runtime.Id).Where(m => !seen.Contains(m.Id)).ToList())
        {
            if (module.Status is ModuleStatus.Pending or ModuleStatus.Running)
            {
                var pending = module with { Status = ModuleStatus.Pending, UpdatedAt = Now };
                SaveModule(pending);
                SendModuleCommand(pending);
            }
            else if (module.Status == ModuleStatus.Deleting)
            {
                Forget(module, "its runtime no longer has it");
            }
        }
    }

    /// <summary>A module we have no record of: adopt it when it is a running replica we want there, else delete it.</summary>
    private void AdoptOrDelete(RuntimeNode runtime, string moduleId, string plugin, string hash, string state)
    {
        var now = Now;
        var wanted = _fleet.Deployments.TryGetValue(plugin, out var deployment) && deployment.Hash == hash && state == "running"
                     && deployment.Program?.Status is not { IsFinal: true }
                     && runtime.Accepting && !_fleet.ModulesOn(runtime.Id).Any(m => m.Deployment == plugin && m.Occupies);
        if (wanted)
        {
            LogAdopted(moduleId, plugin, runtime.Name);
            SaveModule(new PlacedModule(moduleId, plugin, hash, runtime.Id, ModuleStatus.Running, null, "adopted", now, now));
        }
        else
        {
            var reason = deployment is null ? $"no deployment named '{plugin}'" : "not a wanted replica";
            LogRemoving(moduleId, plugin, runtime.Name, reason);
            var module = new PlacedModule(moduleId, plugin, hash, runtime.Id, ModuleStatus.Deleting, reason, NewRequestId(), now, now);
            SaveModule(module);
            SendModuleCommand(module);
        }

        Touch(plugin);
    }

    private static RuntimeState ParseState(string state) => state switch
    {
        StatusBody.Offline => RuntimeState.Offline,
        StatusBody.Draining => RuntimeState.Draining,
        _ => RuntimeState.Online,
    };
}
