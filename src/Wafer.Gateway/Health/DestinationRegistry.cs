using System.Collections.Concurrent;
using Wafer.Protocol.Routes;

namespace Wafer.Gateway.Health;

/// <summary>The destinations of the current routes, one per runtime and URL, reused from one snapshot to the next.</summary>
public sealed class DestinationRegistry
{
    private readonly ConcurrentDictionary<string, Destination> _byKey = new(StringComparer.Ordinal);

    /// <summary>Every destination the current routes use (what the <see cref="HealthMonitor"/> checks).</summary>
    public ICollection<Destination> All => _byKey.Values;

    public Destination Get(ReplicaAddress replica) =>
        _byKey.GetOrAdd(replica.Runtime + " " + replica.Url + " " + replica.H2cUrl, _ => new Destination(replica.Runtime, replica.Name, replica.Url, replica.H2cUrl));

    /// <summary>Forgets destinations no longer in the routes (a runtime that went offline or lost its modules).</summary>
    public void Retain(IReadOnlySet<Destination> used)
    {
        foreach (var entry in _byKey)
        {
            if (!used.Contains(entry.Value))
            {
                _byKey.TryRemove(entry);
            }
        }
    }
}
