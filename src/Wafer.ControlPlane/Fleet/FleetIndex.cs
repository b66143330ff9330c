using System.Collections.Immutable;
using System.Runtime.CompilerServices;

namespace Wafer.ControlPlane.Fleet;

/// <summary>
/// A published snapshot's modules grouped by deployment and by runtime, built on first use once per set of modules
/// (snapshots that differ only in runtimes' keepalives share it), so the views (lists, a deployment's answer to its
/// POST) do not scan every module per deployment or runtime.
/// </summary>
internal sealed class FleetIndex
{
    private static readonly ConditionalWeakTable<ImmutableDictionary<string, PlacedModule>, FleetIndex> Indexes = new();

    private readonly ILookup<string, PlacedModule> _byDeployment;
    private readonly ILookup<string, PlacedModule> _byRuntime;

    private FleetIndex(ImmutableDictionary<string, PlacedModule> placed)
    {
        var modules = placed.Values.ToArray();
        _byDeployment = modules.ToLookup(m => m.Deployment, StringComparer.Ordinal);
        _byRuntime = modules.ToLookup(m => m.RuntimeId, StringComparer.Ordinal);
    }

    /// <summary>The index of <paramref name="fleet"/>; meant for published snapshots (the reconciler's change often).</summary>
    public static FleetIndex Of(FleetSnapshot fleet) => Indexes.GetValue(fleet.Modules, static m => new FleetIndex(m));

    public IEnumerable<PlacedModule> ModulesOf(string deployment) => _byDeployment[deployment];

    public IEnumerable<PlacedModule> ModulesOn(string runtimeId) => _byRuntime[runtimeId];
}
