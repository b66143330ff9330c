using Wafer.Gateway.Health;

namespace Wafer.Gateway.Routes;

/// <summary>The destinations serving one deployment, picked round-robin among the healthy ones.</summary>
public sealed class ReplicaSet(string deployment, IReadOnlyList<Destination> destinations)
{
    private int _next = -1;

    public string Deployment { get; } = deployment;

    public IReadOnlyList<Destination> Destinations { get; } = destinations;

    /// <summary>
    /// The next destination healthy at <paramref name="now"/> (<see cref="GatewayClock"/>) not in <paramref name="skip"/>
    /// (those already tried), or null when none is; then every destination is told it is wanted
    /// (<see cref="Destination.Wanted"/>), so a runtime whose probes were postponed is probed at the next tick.
    /// </summary>
    public Destination? Pick(long now, IReadOnlyCollection<Destination>? skip = null)
    {
        var count = Destinations.Count;
        if (count == 0)
        {
            return null;
        }

        // A retry (skip given) does not move the rotation on, so retries leave the balance between calls as it was.
        var start = (int)((uint)(skip is null ? Interlocked.Increment(ref _next) : Volatile.Read(ref _next)) % (uint)count);
        for (var i = 0; i < count; i++)
        {
            var candidate = Destinations[(start + i) % count];
            if (candidate.IsHealthy(now) && (skip is null || !skip.Contains(candidate)))
            {
                return candidate;
            }
        }

        foreach (var destination in Destinations)
        {
            destination.Wanted();
        }

        return null;
    }
}
