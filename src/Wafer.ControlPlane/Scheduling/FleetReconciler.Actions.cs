using System.Text.Json;
using Wafer.ControlPlane.Fleet;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Scheduling;

// Carrying out a schedule plan, and the small steps every handler uses: persist, then publish, then command.
public sealed partial class FleetReconciler
{
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var plan = Scheduler.Plan(_fleet, Now, settings.Scheduler);
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
                    await PlaceAsync(place, cancellationToken);
                    break;
                case RemoveModule remove when _fleet.Modules.TryGetValue(remove.ModuleId, out var module):
                    await RemoveAsync(module, remove.Reason, cancellationToken);
                    break;
                case ForgetModule forget when _fleet.Modules.TryGetValue(forget.ModuleId, out var module):
                    await ForgetAsync(module, forget.Reason, cancellationToken);
                    break;
                case EndProgram end:
                    await EndProgramAsync(end, cancellationToken);
                    break;
                case GrantShutdown shutdown when _fleet.Runtimes.TryGetValue(shutdown.RuntimeId, out var runtime):
                    LogShutdownGranted(runtime.Name, runtime.Id);
                    await SaveRuntimeAsync(runtime with { ShutdownSent = true }, cancellationToken);
                    await SendAsync(runtime.Id, MessageTypes.Shutdown, new ShutdownBody("drained"), cancellationToken);
                    break;
            }
        }
    }

    private async Task PlaceAsync(PlaceModule place, CancellationToken cancellationToken)
    {
        var deployment = _fleet.Deployments[place.Deployment];
        var now = Now;
        // A SilverLine module keeps its uuid wherever it is placed (its deployment is named after it).
        var id = deployment.Program is not null && !_fleet.Modules.ContainsKey(deployment.Name) ? deployment.Name : Guid.NewGuid().ToString();
        var module = new PlacedModule(
            id, deployment.Name, deployment.Hash, place.RuntimeId, ModuleStatus.Pending, null, NewRequestId(), now, now);
        LogPlaced(module.Id, deployment.Name, _fleet.Runtimes[place.RuntimeId].Name, place.RuntimeId);
        await SaveModuleAsync(module, cancellationToken);
        await SendModuleCommandAsync(module, cancellationToken);
    }

    private async Task RemoveAsync(PlacedModule module, string reason, CancellationToken cancellationToken)
    {
        if (!_fleet.Runtimes.TryGetValue(module.RuntimeId, out var runtime) || !runtime.Alive)
        {
            await ForgetAsync(module, reason, cancellationToken);
            return;
        }

        LogRemoving(module.Id, module.Deployment, runtime.Name, reason);
        var deleting = module with { Status = ModuleStatus.Deleting, Reason = reason, RequestId = NewRequestId(), UpdatedAt = Now };
        await SaveModuleAsync(deleting, cancellationToken);
        if (module.Status == ModuleStatus.Running && settings.RouteGrace > TimeSpan.Zero && AnotherReplicaRuns(module))
        {
            // Out of the routes with this snapshot; the runtime unloads it once gateways have stopped sending it calls.
            _deleteDue[module.Id] = Now + settings.RouteGrace;
            return;
        }

        await SendModuleCommandAsync(deleting, cancellationToken);
    }

    private bool AnotherReplicaRuns(PlacedModule module) =>
        _fleet.Modules.Values.Any(m => m.Deployment == module.Deployment && m.Id != module.Id && m.Status == ModuleStatus.Running
                                       && _fleet.Runtimes.TryGetValue(m.RuntimeId, out var runtime) && runtime.Alive);

    /// <summary>Sends the <c>delete_module</c> of replicas whose <see cref="ReconcilerSettings.RouteGrace"/> is over.</summary>
    private async Task SendDueDeletesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var (id, due) in _deleteDue.Where(d => d.Value <= now).ToList())
        {
            _deleteDue.Remove(id);
            if (_fleet.Modules.TryGetValue(id, out var module) && module.Status == ModuleStatus.Deleting)
            {
                await SendModuleCommandAsync(module, cancellationToken);
            }
        }
    }

    private async Task ForgetAsync(PlacedModule module, string reason, CancellationToken cancellationToken)
    {
        LogForgotten(module.Id, module.Deployment, reason);
        await store.DeleteModuleAsync(module.Id, cancellationToken);
        _fleet = _fleet with { Modules = _fleet.Modules.Remove(module.Id) };
    }

    /// <summary>Sends what a pending module (<c>create_module</c>) or a deleting one (<c>delete_module</c>) is waiting on.</summary>
    private Task SendModuleCommandAsync(PlacedModule module, CancellationToken cancellationToken)
    {
        if (module.Status == ModuleStatus.Deleting)
        {
            return SendAsync(module.RuntimeId, MessageTypes.DeleteModule, new DeleteModuleBody(module.Id), cancellationToken, module.RequestId);
        }

        if (!_fleet.Deployments.TryGetValue(module.Deployment, out var deployment) || module.Status != ModuleStatus.Pending)
        {
            return Task.CompletedTask;
        }

        using var manifest = JsonDocument.Parse(deployment.Manifest);
        var body = new CreateModuleBody(
            module.Id, deployment.Name, module.Hash, ArtifactUrl(module.Hash), manifest.RootElement.Clone(), deployment.Config, deployment.Program?.Run);
        return SendAsync(module.RuntimeId, MessageTypes.CreateModule, body, cancellationToken, module.RequestId);
    }

    private async Task SendAsync(string runtimeId, string type, IMessageBody body, CancellationToken cancellationToken, string? requestId = null)
    {
        var envelope = new Envelope(Envelope.Version, type, requestId ?? NewRequestId(), Now, body);
        if (!await commands.SendAsync(runtimeId, envelope, cancellationToken))
        {
            LogCommandNotSent(type, runtimeId);
        }
    }

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

    private async Task SaveRuntimeAsync(RuntimeNode runtime, CancellationToken cancellationToken)
    {
        await store.SaveRuntimeAsync(runtime, cancellationToken);
        SetRuntime(runtime);
    }

    private async Task SaveModuleAsync(PlacedModule module, CancellationToken cancellationToken)
    {
        await store.SaveModuleAsync(module, cancellationToken);
        _fleet = _fleet with { Modules = _fleet.Modules.SetItem(module.Id, module) };
    }

    private void SetRuntime(RuntimeNode runtime) => _fleet = _fleet with { Runtimes = _fleet.Runtimes.SetItem(runtime.Id, runtime) };

    private static string NewRequestId() => Guid.NewGuid().ToString("N");
}
