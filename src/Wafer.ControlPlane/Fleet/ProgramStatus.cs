namespace Wafer.ControlPlane.Fleet;

/// <summary>
/// Where a SilverLine module's program is in its life (docs/silverline.md, "State"), kept with its deployment so it
/// outlives the placed module: <c>running</c>, <c>restarting</c> (with <see cref="NextAttemptAt"/>), <c>exited</c> (with
/// <see cref="ExitCode"/> and <see cref="Ended"/>, how its last run ended) or <c>lost</c> (its runtime died and its
/// restart policy is <c>never</c>). <c>exited</c> and <c>lost</c> are final: the program is not placed or run again.
/// </summary>
/// <param name="RuntimeId">The runtime it ran on last.</param>
/// <param name="Run">Which run, from 1, as that runtime counts them.</param>
/// <param name="Ended">How the last run ended: <c>exited</c>, <c>timed_out</c>, <c>wall_clock_limit</c>, <c>failed</c>, <c>lost</c> or <c>drained</c>.</param>
/// <param name="Reason">Why a run that did not exit by itself ended.</param>
internal sealed record ProgramStatus(
    string State, string RuntimeId, int Run, int? ExitCode, string? Ended, string? Reason, DateTimeOffset? NextAttemptAt, DateTimeOffset At)
{
    public const string Running = "running";
    public const string Restarting = "restarting";
    public const string Exited = "exited";
    public const string Lost = "lost";

    /// <summary>Exited or lost: nothing runs it again.</summary>
    public bool IsFinal => State is Exited or Lost;
}
