using System.Collections.Concurrent;
using Wafer.ControlPlane.Store;

namespace Wafer.ControlPlane.Tests.Support;

/// <summary>A store in dictionaries; survives a "restart" when the same instance is handed to a new reconciler.</summary>
public sealed class InMemoryFleetStore : IFleetStore
{
    public ConcurrentDictionary<string, Deployment> Deployments { get; } = new();

    public ConcurrentDictionary<string, RuntimeNode> Runtimes { get; } = new();

    public ConcurrentDictionary<string, PlacedModule> Modules { get; } = new();

    public ConcurrentDictionary<string, ArtifactRecord> Artifacts { get; } = new();

    public Task<StoredFleet> LoadAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new StoredFleet([.. Deployments.Values], [.. Runtimes.Values], [.. Modules.Values]));

    public Task SaveDeploymentAsync(Deployment deployment, CancellationToken cancellationToken = default) => Do(() => Deployments[deployment.Name] = deployment);

    public Task DeleteDeploymentAsync(string name, CancellationToken cancellationToken = default) => Do(() => Deployments.TryRemove(name, out _));

    public Task SaveRuntimeAsync(RuntimeNode runtime, CancellationToken cancellationToken = default) => Do(() => Runtimes[runtime.Id] = runtime);

    public Task SaveModuleAsync(PlacedModule module, CancellationToken cancellationToken = default) => Do(() => Modules[module.Id] = module);

    public Task DeleteModuleAsync(string id, CancellationToken cancellationToken = default) => Do(() => Modules.TryRemove(id, out _));

    public Task SaveArtifactAsync(ArtifactRecord artifact, CancellationToken cancellationToken = default) => Do(() => Artifacts[artifact.Hash] = artifact);

    public Task<ArtifactRecord?> GetArtifactAsync(string hash, CancellationToken cancellationToken = default) =>
        Task.FromResult(Artifacts.GetValueOrDefault(hash));

    public Task<ArtifactRecord?> FindArtifactByNameAsync(string name, CancellationToken cancellationToken = default) =>
        Task.FromResult(Artifacts.Values.Where(a => Wafer.ControlPlane.Artifacts.ManifestNormalizer.NameIn(a.Manifest) == name)
            .OrderByDescending(a => a.CreatedAt).FirstOrDefault());

    private static Task Do(Action action)
    {
        action();
        return Task.CompletedTask;
    }
}
