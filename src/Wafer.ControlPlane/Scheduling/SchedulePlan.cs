using System.Collections.Immutable;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>What one scheduling pass decided: the actions, in order, and why some replicas stay unplaced.</summary>
internal sealed record SchedulePlan(IReadOnlyList<FleetAction> Actions, ImmutableDictionary<string, string> Unplaced)
{
    public IEnumerable<T> Of<T>() where T : FleetAction => Actions.OfType<T>();
}
