using Wafer.ControlPlane.Fleet;

namespace Wafer.ControlPlane.Store;

/// <summary>
/// Durable orchestrator state: deployments, runtimes, placed modules and artifact metadata. Only the reconciler
/// writes fleet rows (a batch of changes at a time); the API writes artifacts. Every write is an upsert of one whole
/// record or a deletion.
/// </summary>
internal interface IFleetStore
{
    Task<StoredFleet> LoadAsync(CancellationToken cancellationToken = default);

    Task SaveDeploymentAsync(Deployment deployment, CancellationToken cancellationToken = default);

    Task DeleteDeploymentAsync(string name, CancellationToken cancellationToken = default);

    Task SaveRuntimeAsync(RuntimeNode runtime, CancellationToken cancellationToken = default);

    Task SaveModuleAsync(PlacedModule module, CancellationToken cancellationToken = default);

    Task DeleteModuleAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Writes every change of one reconcile batch in one transaction: all of them, or none.</summary>
    Task SaveChangesAsync(FleetChanges changes, CancellationToken cancellationToken = default);

    Task SaveArtifactAsync(ArtifactRecord artifact, CancellationToken cancellationToken = default);

    Task<ArtifactRecord?> GetArtifactAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>The newest artifact uploaded with a manifest whose <c>name</c> is <paramref name="name"/>; null when none.</summary>
    Task<ArtifactRecord?> FindArtifactByNameAsync(string name, CancellationToken cancellationToken = default);
}
