using Wafer.ControlPlane.Fleet;

namespace Wafer.ControlPlane.Store;

/// <summary>
/// The fleet rows one reconcile batch changed, the last change of each record only (a module placed and then marked
/// running in one batch is one upsert). <see cref="IFleetStore.SaveChangesAsync"/> writes them in one transaction.
/// </summary>
internal sealed class FleetChanges
{
    private readonly Dictionary<string, Deployment?> _deployments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RuntimeNode> _runtimes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PlacedModule?> _modules = new(StringComparer.Ordinal);

    public bool IsEmpty => _deployments.Count == 0 && _runtimes.Count == 0 && _modules.Count == 0;

    /// <summary>Records changed, a deletion counting as one.</summary>
    public int Count => _deployments.Count + _runtimes.Count + _modules.Count;

    /// <summary>Deployments to upsert, and (null) the names of those to delete.</summary>
    public IReadOnlyDictionary<string, Deployment?> Deployments => _deployments;

    public IReadOnlyCollection<RuntimeNode> Runtimes => _runtimes.Values;

    /// <summary>Modules to upsert, and (null) the ids of those to delete.</summary>
    public IReadOnlyDictionary<string, PlacedModule?> Modules => _modules;

    public void Save(Deployment deployment) => _deployments[deployment.Name] = deployment;

    public void DeleteDeployment(string name) => _deployments[name] = null;

    public void Save(RuntimeNode runtime) => _runtimes[runtime.Id] = runtime;

    public void Save(PlacedModule module) => _modules[module.Id] = module;

    public void DeleteModule(string id) => _modules[id] = null;

    public void Clear()
    {
        _deployments.Clear();
        _runtimes.Clear();
        _modules.Clear();
    }
}
