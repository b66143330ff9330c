namespace Wafer.Wasm.Wasi;

/// <summary>The outcome of one run of a WASI command module: a value for every way it can end.</summary>
/// <param name="Status">How the run ended.</param>
/// <param name="ExitCode">The exit code when <see cref="CommandStatus.Exited"/>: 0 when <c>_start</c> returned, else the
/// value passed to <c>proc_exit</c>.</param>
/// <param name="Stdout">What the guest wrote to stdout, up to the cap.</param>
/// <param name="Stderr">What the guest wrote to stderr, up to the cap.</param>
/// <param name="StdoutTruncated">True when stdout exceeded its cap.</param>
/// <param name="StderrTruncated">True when stderr exceeded its cap.</param>
/// <param name="Message">Why the run failed, for every status but <see cref="CommandStatus.Exited"/>.</param>
/// <param name="Duration">Wall-clock time from instantiation to the end of the run.</param>
public sealed record CommandResult(
    CommandStatus Status,
    int? ExitCode,
    byte[] Stdout,
    byte[] Stderr,
    bool StdoutTruncated,
    bool StderrTruncated,
    string? Message,
    TimeSpan Duration);
