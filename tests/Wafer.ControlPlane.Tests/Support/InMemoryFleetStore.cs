using System.Collections.Concurrent;
using Wafer.ControlPlane.Store;

namespace Wafer.ControlPlane.Tests.Support;

/// <summary>A store in dictionaries; survives a "restart" when the same instance is handed to a new reconciler.</summary>
internal sealed class InMemoryFleetStore : IFleetStore
{
    public ConcurrentDictionary<string, Deployment> Deployments { get; } = new();

    public ConcurrentDictionary<string, RuntimeNode> Runtimes { get; } = new();

    public ConcurrentDictionary<string, PlacedModule> Modules { get; } = new();

    public ConcurrentDictionary<string, ArtifactRecord> Artifacts { get; } = new();

    /// <summary>Write calls so far (each a transaction of its own).</summary>
    public int Writes => _writes;

    /// <summary>While set, every write fails and changes nothing (a database that is down).</summary>
    public bool Failing { get; set; }

    private int _writes;

    public Task<StoredFleet> LoadAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new StoredFleet([.. Deployments.Values], [.. Runtimes.Values], [.. Modules.Values]));

    public Task SaveDeploymentAsync(Deployment deployment, CancellationToken cancellationToken = default) => Do(() => Deployments[deployment.Name] = deployment);

    public Task DeleteDeploymentAsync(string name, CancellationToken cancellationToken = default) => Do(() => Deployments.TryRemove(name, out _));

    public Task SaveRuntimeAsync(RuntimeNode runtime, CancellationToken cancellationToken = default) => Do(() => Runtimes[runtime.Id] = runtime);

    public Task SaveModuleAsync(PlacedModule module, CancellationToken cancellationToken = default) => Do(() => Modules[module.Id] = module);

    public Task DeleteModuleAsync(string id, CancellationToken cancellationToken = default) => Do(() => Modules.TryRemove(id, out _));

    public Task SaveChangesAsync(FleetChanges changes, CancellationToken cancellationToken = default) => Do(() =>
    {
        foreach (var (name, deployment) in changes.Deployments)
        {
            _ = deployment is null ? Deployments.TryRemove(name, out _) : (Deployments[name] = deployment) is not null;
        }

        foreach (var runtime in changes.Runtimes)
        {
            Runtimes[runtime.Id] = runtime;
        }

        foreach (var (id, module) in changes.Modules)
        {
            _ = module is null ? Modules.TryRemove(id, out _) : (Modules[id] = module) is not null;
        }
    });

    public Task SaveArtifactAsync(ArtifactRecord artifact, CancellationToken cancellationToken = default) => Do(() => Artifacts[artifact.Hash] = artifact);

    public Task<ArtifactRecord?> GetArtifactAsync(string hash, CancellationToken cancellationToken = default) =>
        Task.FromResult(Artifacts.GetValueOrDefault(hash));

    public Task<ArtifactRecord?> FindArtifactByNameAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(Artifacts.Values.Where(a => Wafer.ControlPlane.Artifacts.ManifestNormalizer.NameIn(a.Manifest) == name)
            .OrderByDescending(a => a.CreatedAt).FirstOrDefault());

    private Task Do(Action action)
    {
        if (Failing)
        {
            return Task.FromException(new InvalidOperationException("the store is down"));
        }

        Interlocked.Increment(ref _writes);
        action();
        return Task.CompletedTask;
    }
}
