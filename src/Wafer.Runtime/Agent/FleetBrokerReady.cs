namespace Wafer.Runtime.Agent;

/// <summary>
/// When the fleet's broker can take connections. A runtime joining a fleet elsewhere connects at once (and retries
/// with backoff); in <c>wafer serve</c> the broker is the in-process orchestrator's, which starts beside the runtime so
/// the runtime serves its folder without waiting for it: the agent and the runtime's trigger and channel clients wait
/// for it instead of failing their first attempts.
/// </summary>
public sealed class FleetBrokerReady(Task ready)
{
    /// <summary>A broker that is already there, or elsewhere: nothing to wait for.</summary>
    public static FleetBrokerReady Now { get; } = new(Task.CompletedTask);

    /// <summary>Completes when the broker listens; never fails (a broker that did not start stops the process).</summary>
    public Task Ready { get; } = ready;
}
