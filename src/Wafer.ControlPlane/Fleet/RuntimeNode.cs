using System.Collections.Immutable;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Fleet;

/// <summary>One runtime: what it announced, what the orchestrator decided about it, and when it was last heard.</summary>
internal sealed record RuntimeNode(
    string Id,
    string Name,
    ImmutableSortedDictionary<string, string> Labels,
    Capacity Capacity,
    ImmutableArray<string> Kinds,
    string Version,
    string Url,
    int KeepaliveSec,
    RuntimeState State,
    bool DrainRequested,
    bool ShutdownSent,
    DateTimeOffset FirstSeen,
    DateTimeOffset LastSeen,
    DateTimeOffset? DrainStartedAt = null,
    Load? Load = null,
    string? H2cUrl = null,
    DateTimeOffset? ControlLostAt = null)
{
    /// <summary>True when the runtime is online and not draining: its replicas count, and it may receive new modules.</summary>
    public bool Accepting => State == RuntimeState.Online && !DrainRequested;

    /// <summary>True when new modules may be placed here now: accepting, and reachable over the control channel.</summary>
    public bool Placeable => Accepting && ControlLostAt is null;

    /// <summary>True while the runtime is connected (online or draining).</summary>
    public bool Alive => State != RuntimeState.Offline;
}
