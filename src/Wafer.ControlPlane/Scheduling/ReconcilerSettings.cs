namespace Wafer.ControlPlane.Scheduling;

/// <summary>The reconciler's tunables (from <c>OrchestratorOptions</c>).</summary>
/// <param name="KeepaliveGraceMissed">Keepalives a runtime may miss before it is taken for offline.</param>
/// <param name="CommandTimeout">How long a <c>create_module</c> or <c>delete_module</c> waits for its answer.</param>
/// <param name="SettleDelay">After (re)connecting to the broker, how long retained announcements get before placing anything.</param>
/// <param name="AnnounceRequestInterval">At most one request for re-announcements per this interval.</param>
internal sealed record ReconcilerSettings(
    int KeepaliveGraceMissed,
    TimeSpan CommandTimeout,
    TimeSpan SettleDelay,
    TimeSpan AnnounceRequestInterval,
    SchedulerSettings Scheduler)
{
    /// <summary>
    /// How long a running replica removed while others of its deployment run stays out of the routes before its
    /// <c>delete_module</c> is sent, so gateways stop sending it calls before its runtime unloads it (a rolling update,
    /// a scale-down, a drain). Zero: at once.
    /// </summary>
    public TimeSpan RouteGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a runtime the control channel lost (its last will, missed keepalives, or the orchestrator's own broker
    /// gone) is checked over HTTP while it stays in the routes (<see cref="IRuntimeProbes"/>).
    /// </summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A pass reconciles only the deployments its events touched; one over every deployment runs at least this often
    /// (and whenever a runtime or the broker changed), a safety net for anything an event did not name. Zero: every
    /// pass is a full one.
    /// </summary>
    public TimeSpan FullPassInterval { get; init; } = TimeSpan.FromSeconds(30);

    public static ReconcilerSettings Default { get; } =
        new(3, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), SchedulerSettings.Default);
}
