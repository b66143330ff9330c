using Wafer.ControlPlane.Fleet;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>Something the reconciler must take into account; events are applied one at a time, in order.</summary>
internal interface IFleetEvent;

/// <summary>A decoded, validated message from runtime <paramref name="RuntimeId"/> (its topic's id).</summary>
/// <param name="Retained">Delivered from the broker's retained store (old news), not sent just now.</param>
/// <param name="IsWill">The runtime's last will: the broker says its connection ended (which a lost broker says of everyone).</param>
internal sealed record RuntimeMessage(string RuntimeId, string Topic, Envelope Envelope, bool Retained = false, bool IsWill = false) : IFleetEvent;

/// <summary>The orchestrator's MQTT connection is up (again): runtimes get a grace period, unanswered commands are resent.</summary>
internal sealed record BrokerConnected : IFleetEvent;

/// <summary>The orchestrator's MQTT connection dropped: silence from runtimes means nothing until it is back.</summary>
internal sealed record BrokerDisconnected : IFleetEvent;

/// <summary>
/// What a health check of runtime <paramref name="RuntimeId"/> found (<see cref="IRuntimeProbes"/>): evidence about the
/// runtime itself, which decides whether a runtime the control channel lost leaves the routes.
/// </summary>
/// <param name="RequestedAt">The reconciler's time when it asked for the check: older than the runtime's loss, the answer is stale.</param>
/// <param name="Reachable">It answered <c>GET /healthz</c> with a success status.</param>
/// <param name="Detail">What was found (status code, or the network error), for the log.</param>
internal sealed record RuntimeProbed(string RuntimeId, DateTimeOffset RequestedAt, bool Reachable, string Detail) : IFleetEvent;

/// <summary>The periodic check: missed keepalives, unanswered commands, retries of unplaced replicas.</summary>
internal sealed record Tick : IFleetEvent;

/// <summary>Create or update a deployment (from the API); completes with the stored deployment and whether it is new.</summary>
internal sealed record ApplyDeployment(Deployment Deployment, TaskCompletionSource<(Deployment Deployment, bool Created)> Done) : IFleetEvent;

/// <summary>Remove a deployment (from the API); completes with false when there was none.</summary>
internal sealed record RemoveDeployment(string Name, TaskCompletionSource<bool> Done) : IFleetEvent;

/// <summary>Drain a runtime (from the API).</summary>
internal sealed record DrainRuntime(string RuntimeId, TaskCompletionSource<DrainOutcome> Done) : IFleetEvent;

/// <summary>What a drain request found.</summary>
internal enum DrainOutcome
{
    Started,
    AlreadyDraining,
    NotFound,
    Offline,
}
