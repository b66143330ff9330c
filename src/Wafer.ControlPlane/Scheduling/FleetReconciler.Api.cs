using Wafer.ControlPlane.Fleet;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Scheduling;

// Requests from the REST API, applied in order with everything else.
internal sealed partial class FleetReconciler
{
    private readonly List<Action> _answers = [];

    /// <summary>
    /// Answers an API request once the batch's snapshot is published, so a client that reads right after its
    /// answer (GET after POST) sees what it was told.
    /// </summary>
    private void Complete<T>(TaskCompletionSource<T> done, T value) => _answers.Add(() => done.TrySetResult(value));

    private void AnswerRequests()
    {
        foreach (var answer in _answers)
        {
            answer();
        }

        _answers.Clear();
    }

    private void OnApplyDeployment(ApplyDeployment apply)
    {
        var now = Now;
        var existing = _fleet.Deployments.GetValueOrDefault(apply.Deployment.Name);
        if (existing is not null && apply.Deployment.Program is not null)
        {
            Complete(apply.Done, (existing, false)); // a module's uuid is taken once: the second of two racing creates is refused
            return;
        }

        var deployment = apply.Deployment with { CreatedAt = existing?.CreatedAt ?? now, UpdatedAt = now };
        _changes.Save(deployment);
        _fleet = _fleet with { Deployments = _fleet.Deployments.SetItem(deployment.Name, deployment) };
        if (existing is not null && existing.Hash == deployment.Hash
            && (existing.Manifest != deployment.Manifest || !existing.Config.SequenceEqual(deployment.Config)))
        {
            // Failures belong to what was deployed (wasm, manifest and config): the same wasm with another manifest or
            // config is a new version, which neither backs off nor reports failed for the old one's failures.
            foreach (var failed in _fleet.Modules.Values.Where(m => m.Deployment == deployment.Name && m.Status == ModuleStatus.Failed).ToList())
            {
                Forget(failed, "the deployment's manifest or config changed");
            }
        }

        LogDeploymentApplied(deployment.Name, deployment.Hash, deployment.Replicas, existing is null);
        Touch(deployment.Name);
        Complete(apply.Done, (deployment, existing is null));
    }

    private void OnRemoveDeployment(RemoveDeployment remove)
    {
        if (!_fleet.Deployments.ContainsKey(remove.Name))
        {
            Complete(remove.Done, false);
            return;
        }

        _changes.DeleteDeployment(remove.Name);
        _fleet = _fleet with { Deployments = _fleet.Deployments.Remove(remove.Name), Unplaced = _fleet.Unplaced.Remove(remove.Name) };
        LogDeploymentRemoved(remove.Name);
        Touch(remove.Name);
        Complete(remove.Done, true);
    }

    private void OnDrain(DrainRuntime drain)
    {
        if (!_fleet.Runtimes.TryGetValue(drain.RuntimeId, out var runtime))
        {
            Complete(drain.Done, DrainOutcome.NotFound);
            return;
        }

        if (!runtime.Alive)
        {
            Complete(drain.Done, DrainOutcome.Offline);
            return;
        }

        var already = runtime.DrainRequested;
        if (!already)
        {
            LogDrainRequested(runtime.Name, runtime.Id);
            SaveRuntime(runtime with { State = RuntimeState.Draining, DrainRequested = true, DrainStartedAt = Now });
            TouchAll();
        }

        if (!runtime.ShutdownSent)
        {
            Send(runtime.Id, MessageTypes.Drain, new DrainBody());
        }

        Complete(drain.Done, already ? DrainOutcome.AlreadyDraining : DrainOutcome.Started);
    }
}
