using System.Text.Json;
using Wafer.ControlPlane.Fleet;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Scheduling;

// Carrying out a schedule plan, and the small steps every handler uses: a change is recorded in the snapshot and in the
// batch's changes, a command queued; the batch stores its changes in one transaction, then sends its commands.
internal sealed partial class FleetReconciler
{
    /// <param name="only">The deployments to reconcile; null: every one (<see cref="Scheduler.Plan"/>).</param>
    private void Reconcile(IReadOnlySet<string>? only)
    {
        var plan = Scheduler.Plan(_fleet, Now, settings.Scheduler, only);
        Counts.Record(only is null ? _fleet.Deployments.Count : only.Count, only is null);
        if (!plan.Unplaced.SequenceEqual(_fleet.Unplaced))
        {
            foreach (var (deployment, reason) in plan.Unplaced.Where(u => !_fleet.Unplaced.TryGetValue(u.Key, out var old) || old != u.Value))
            {
                LogUnplaced(deployment, reason);
            }

            _fleet = _fleet with { Unplaced = plan.Unplaced };
        }

        foreach (var action in plan.Actions)
        {
            switch (action)
            {
                case PlaceModule place:
                    Place(place);
                    break;
                case RemoveModule remove when _fleet.Modules.TryGetValue(remove.ModuleId, out var module):
                    Remove(module, remove.Reason);
                    break;
                case ForgetModule forget when _fleet.Modules.TryGetValue(forget.ModuleId, out var module):
                    Forget(module, forget.Reason);
                    break;
                case EndProgram end:
                    MarkProgramEnded(end);
                    break;
                case GrantShutdown shutdown when _fleet.Runtimes.TryGetValue(shutdown.RuntimeId, out var runtime):
                    LogShutdownGranted(runtime.Name, runtime.Id);
                    SaveRuntime(runtime with { ShutdownSent = true });
                    Send(runtime.Id, MessageTypes.Shutdown, new ShutdownBody("drained"));
                    break;
            }
        }
    }

    private void Place(PlaceModule place)
    {
        var deployment = _fleet.Deployments[place.Deployment];
        var now = Now;
        // A SilverLine module keeps its uuid wherever it is placed (its deployment is named after it).
        var id = deployment.Program is not null && !_fleet.Modules.ContainsKey(deployment.Name) ? deployment.Name : Guid.NewGuid().ToString();
        var module = new PlacedModule(
            id, deployment.Name, deployment.Hash, place.RuntimeId, ModuleStatus.Pending, null, NewRequestId(), now, now);
        LogPlaced(module.Id, deployment.Name, _fleet.Runtimes[place.RuntimeId].Name, place.RuntimeId);
        SaveModule(module);
        SendModuleCommand(module);
    }

    private void Remove(PlacedModule module, string reason)
    {
        if (!_fleet.Runtimes.TryGetValue(module.RuntimeId, out var runtime) || !runtime.Alive)
        {
            Forget(module, reason);
            return;
        }

        LogRemoving(module.Id, module.Deployment, runtime.Name, reason);
        var deleting = module with { Status = ModuleStatus.Deleting, Reason = reason, RequestId = NewRequestId(), UpdatedAt = Now };
        SaveModule(deleting);
        if (module.Status == ModuleStatus.Running && settings.RouteGrace > TimeSpan.Zero && AnotherReplicaRuns(module))
        {
            // Out of the routes with this snapshot; the runtime unloads it once gateways have stopped sending it calls.
            _deleteDue[module.Id] = Now + settings.RouteGrace;
            return;
        }

        SendModuleCommand(deleting);
    }

    private bool AnotherReplicaRuns(PlacedModule module) =>
        _fleet.Modules.Values.Any(m => m.Deployment == module.Deployment && m.Id != module.Id && m.Status == ModuleStatus.Running
                                       && _fleet.Runtimes.TryGetValue(m.RuntimeId, out var runtime) && runtime.Alive);

    /// <summary>Sends the <c>delete_module</c> of replicas whose <see cref="ReconcilerSettings.RouteGrace"/> is over.</summary>
    private void SendDueDeletes(DateTimeOffset now)
    {
        foreach (var (id, due) in _deleteDue.Where(d => d.Value <= now).ToList())
        {
            _deleteDue.Remove(id);
            if (_fleet.Modules.TryGetValue(id, out var module) && module.Status == ModuleStatus.Deleting)
            {
                SendModuleCommand(module);
            }
        }
    }

    private void Forget(PlacedModule module, string reason)
    {
        LogForgotten(module.Id, module.Deployment, reason);
        _changes.DeleteModule(module.Id);
        _fleet = _fleet with { Modules = _fleet.Modules.Remove(module.Id) };
    }

    /// <summary>Sends what a pending module (<c>create_module</c>) or a deleting one (<c>delete_module</c>) is waiting on.</summary>
    private void SendModuleCommand(PlacedModule module)
    {
        if (module.Status == ModuleStatus.Deleting)
        {
            Send(module.RuntimeId, MessageTypes.DeleteModule, new DeleteModuleBody(module.Id), module.RequestId);
            return;
        }

        if (!_fleet.Deployments.TryGetValue(module.Deployment, out var deployment) || module.Status != ModuleStatus.Pending)
        {
            return;
        }

        using var manifest = JsonDocument.Parse(deployment.Manifest);
        var body = new CreateModuleBody(
            module.Id, deployment.Name, module.Hash, ArtifactUrl(module.Hash), manifest.RootElement.Clone(), deployment.Config, deployment.Program?.Run);
        Send(module.RuntimeId, MessageTypes.CreateModule, body, module.RequestId);
    }

    /// <summary>Queues a command: it goes out once the batch's changes are stored (<see cref="FlushAsync"/>).</summary>
    private void Send(string runtimeId, string type, IMessageBody body, string? requestId = null) =>
        _outbox.Add(new OutgoingCommand(runtimeId, new Envelope(Envelope.Version, type, requestId ?? NewRequestId(), Now, body), null));

    private async Task RequestAnnouncementsAsync(CancellationToken cancellationToken)
    {
        var now = Now;
        if (now - _lastAnnounceRequest >= settings.AnnounceRequestInterval)
        {
            _lastAnnounceRequest = now;
            await commands.RequestAnnouncementsAsync(cancellationToken);
        }
    }

    private string ArtifactUrl(string hash) => $"{address.BaseUrl.TrimEnd('/')}/api/artifacts/{hash}";

    private void SaveRuntime(RuntimeNode runtime)
    {
        _changes.Save(runtime);
        SetRuntime(runtime);
    }

    private void SaveModule(PlacedModule module)
    {
        _changes.Save(module);
        _fleet = _fleet with { Modules = _fleet.Modules.SetItem(module.Id, module) };
    }

    private void SetRuntime(RuntimeNode runtime) => _fleet = _fleet with { Runtimes = _fleet.Runtimes.SetItem(runtime.Id, runtime) };

    private static string NewRequestId() => Guid.NewGuid().ToString("N");
}
