namespace Wafer.ControlPlane.Scheduling;

/// <summary>The scheduler's tunables (from <c>OrchestratorOptions</c>).</summary>
/// <param name="DrainTimeout">How long a draining runtime's modules wait for replacements before they are removed anyway.</param>
/// <param name="FailureBackoff">After a module fails on a runtime, how long before that runtime is tried again (doubles per failure).</param>
/// <param name="MaxFailureBackoff">The cap of that doubling.</param>
/// <param name="KeepFailed">Failed modules kept per deployment for display and backoff; older ones are forgotten.</param>
internal sealed record SchedulerSettings(TimeSpan DrainTimeout, TimeSpan FailureBackoff, TimeSpan MaxFailureBackoff, int KeepFailed = 5)
{
    public static SchedulerSettings Default { get; } = new(TimeSpan.FromMinutes(2), TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5));
}
