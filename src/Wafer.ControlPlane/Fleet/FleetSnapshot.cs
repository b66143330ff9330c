using System.Collections.Immutable;

namespace Wafer.ControlPlane.Fleet;

/// <summary>
/// The whole fleet at one instant, published as a unit with a version: readers (the REST API) never see half of
/// a change. Only the reconciler makes new snapshots.
/// </summary>
/// <param name="Unplaced">Per deployment, why some of its replicas could not be placed (absent when all are).</param>
internal sealed record FleetSnapshot(
    long Version,
    ImmutableDictionary<string, Deployment> Deployments,
    ImmutableDictionary<string, RuntimeNode> Runtimes,
    ImmutableDictionary<string, PlacedModule> Modules,
    ImmutableDictionary<string, string> Unplaced)
{
    public static FleetSnapshot Empty { get; } = new(
        0,
        ImmutableDictionary<string, Deployment>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<string, RuntimeNode>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<string, PlacedModule>.Empty.WithComparers(StringComparer.Ordinal),
        ImmutableDictionary<string, string>.Empty.WithComparers(StringComparer.Ordinal));

    public IEnumerable<PlacedModule> ModulesOf(string deployment) => Modules.Values.Where(m => m.Deployment == deployment);

    public IEnumerable<PlacedModule> ModulesOn(string runtimeId) => Modules.Values.Where(m => m.RuntimeId == runtimeId);
}
