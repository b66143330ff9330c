using System.Diagnostics;

namespace Wafer.Wasm.Wasi;

/// <summary>
/// The store data of one command run: its deadline and cancellation, read by the epoch callback and by host
/// functions that wait (<c>poll_oneoff</c>), and why the host stopped the run, if it did.
/// </summary>
internal sealed class CommandRunState(long startTimestamp, TimeSpan timeout, CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>The run's channel files, when it has channels.</summary>
    public Channels.ChannelFiles? Channels { get; init; }

    /// <summary>The code the guest passed to <c>proc_exit</c>, once it has.</summary>
    public int? ExitCode { get; private set; }

    /// <summary>Records the guest's exit; the caller then unwinds the guest.</summary>
    public void Exit(int code) => ExitCode = code;

    /// <summary>Set just before the host unwinds the guest; wins over the trap's own cause.</summary>
    public CommandStatus? StopReason { get; private set; }

    public TimeSpan Remaining => timeout - Stopwatch.GetElapsedTime(startTimestamp);

    /// <summary>Throws (ending the run) when the deadline passed or the host is stopping; otherwise returns.</summary>
    public void Check()
    {
        if (cancellationToken.IsCancellationRequested)
        {
            StopReason = CommandStatus.Cancelled;
            throw new OperationCanceledException("the run was cancelled", cancellationToken);
        }

        if (Remaining <= TimeSpan.Zero)
        {
            StopReason = CommandStatus.Timeout;
            throw new TimeoutException("the run reached its time limit");
        }
    }
}
