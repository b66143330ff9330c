using Wafer.ControlPlane.Fleet;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>Something the reconciler must take into account; events are applied one at a time, in order.</summary>
public interface IFleetEvent;

/// <summary>A decoded, validated message from runtime <paramref name="RuntimeId"/> (its topic's id).</summary>
/// <param name="Retained">Delivered from the broker's retained store (old news), not sent just now.</param>
public sealed record RuntimeMessage(string RuntimeId, string Topic, Envelope Envelope, bool Retained = false) : IFleetEvent;

/// <summary>The orchestrator's MQTT connection is up (again): runtimes get a grace period, unanswered commands are resent.</summary>
public sealed record BrokerConnected : IFleetEvent;

/// <summary>The orchestrator's MQTT connection dropped: silence from runtimes means nothing until it is back.</summary>
public sealed record BrokerDisconnected : IFleetEvent;

/// <summary>The periodic check: missed keepalives, unanswered commands, retries of unplaced replicas.</summary>
public sealed record Tick : IFleetEvent;

/// <summary>Create or update a deployment (from the API); completes with the stored deployment and whether it is new.</summary>
public sealed record ApplyDeployment(Deployment Deployment, TaskCompletionSource<(Deployment Deployment, bool Created)> Done) : IFleetEvent;

/// <summary>Remove a deployment (from the API); completes with false when there was none.</summary>
public sealed record RemoveDeployment(string Name, TaskCompletionSource<bool> Done) : IFleetEvent;

/// <summary>Drain a runtime (from the API).</summary>
public sealed record DrainRuntime(string RuntimeId, TaskCompletionSource<DrainOutcome> Done) : IFleetEvent;

/// <summary>What a drain request found.</summary>
public enum DrainOutcome
{
    Started,
    AlreadyDraining,
    NotFound,
    Offline,
}
