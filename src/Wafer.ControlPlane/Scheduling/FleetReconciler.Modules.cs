using Wafer.ControlPlane.Fleet;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Scheduling;

// Events from runtimes about modules and about themselves.
internal sealed partial class FleetReconciler
{
    private async Task OnModuleRunningAsync(RuntimeMessage message, ModuleRunningBody body, CancellationToken cancellationToken)
    {
        if (!_fleet.Runtimes.TryGetValue(message.RuntimeId, out var runtime))
        {
            await RequestAnnouncementsAsync(cancellationToken);
            return;
        }

        if (!_fleet.Modules.TryGetValue(body.ModuleId, out var module))
        {
            AdoptOrDelete(runtime, body.ModuleId, body.Plugin, body.Hash, "running");
            return;
        }

        if (await RefusedAsync(message, module, cancellationToken))
        {
            return;
        }

        if (module.Hash != body.Hash)
        {
            await refusals.RefuseAsync(message.Topic, message.Envelope.Id,
                $"module_running: module '{module.Id}' was created with hash {module.Hash}, not {body.Hash}", cancellationToken);
            return;
        }

        if (module.Status is ModuleStatus.Pending or ModuleStatus.Failed)
        {
            LogModuleRunning(module.Id, module.Deployment, runtime.Name);
            SaveModule(module with { Status = ModuleStatus.Running, Reason = null, UpdatedAt = Now });
            Touch(module.Deployment);
        }
    }

    private async Task OnModuleFailedAsync(RuntimeMessage message, ModuleFailedBody body, CancellationToken cancellationToken)
    {
        if (!_fleet.Modules.TryGetValue(body.ModuleId, out var module) || await RefusedAsync(message, module, cancellationToken))
        {
            return;
        }

        if (module.Status is ModuleStatus.Pending or ModuleStatus.Running)
        {
            LogModuleFailed(module.Id, module.Deployment, module.RuntimeId, body.Reason);
            SaveModule(module with { Status = ModuleStatus.Failed, Reason = body.Reason, UpdatedAt = Now });
            Touch(module.Deployment);
        }
    }

    private async Task OnModuleDeletedAsync(RuntimeMessage message, ModuleDeletedBody body, CancellationToken cancellationToken)
    {
        if (!_fleet.Modules.TryGetValue(body.ModuleId, out var module) || await RefusedAsync(message, module, cancellationToken))
        {
            return;
        }

        Forget(module, "its runtime deleted it");
        Touch(module.Deployment);
    }

    private Task OnFatal(RuntimeMessage message, FatalBody body)
    {
        LogFatal(message.RuntimeId, body.Reason);
        if (_fleet.Runtimes.TryGetValue(message.RuntimeId, out var runtime) && runtime.Alive)
        {
            SaveRuntime(runtime with { State = RuntimeState.Offline });
            TouchAll();
        }

        return Task.CompletedTask;
    }

    /// <summary>A runtime refused one of our commands: a refused <c>create_module</c> fails its module.</summary>
    private Task OnRuntimeError(RuntimeMessage message, ErrorBody body)
    {
        LogRuntimeRefused(message.RuntimeId, body.Topic, body.Reason);
        var module = body.RequestId is null
            ? null
            : _fleet.ModulesOn(message.RuntimeId).FirstOrDefault(m => m.RequestId == body.RequestId && m.Status == ModuleStatus.Pending);
        if (module is not null)
        {
            SaveModule(module with { Status = ModuleStatus.Failed, Reason = "the runtime refused create_module: " + body.Reason, UpdatedAt = Now });
            Touch(module.Deployment);
        }

        return Task.CompletedTask;
    }

    private Task OnJobExited(RuntimeMessage message, JobExitedBody body)
    {
        LogJobExited(body.JobId, body.Plugin, message.RuntimeId, body.State, body.ExitCode);
        return Task.CompletedTask;
    }

    /// <summary>An event about a module placed on another runtime is refused: the sender is not who it claims to be.</summary>
    private async Task<bool> RefusedAsync(RuntimeMessage message, PlacedModule module, CancellationToken cancellationToken)
    {
        if (module.RuntimeId == message.RuntimeId)
        {
            return false;
        }

        await refusals.RefuseAsync(message.Topic, message.Envelope.Id,
            $"{message.Envelope.Type}: module '{module.Id}' is placed on runtime '{module.RuntimeId}', not '{message.RuntimeId}'", cancellationToken);
        return true;
    }
}
