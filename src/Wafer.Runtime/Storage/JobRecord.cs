namespace Wafer.Runtime.Storage;

/// <summary>One run of a WASI command module (<c>POST /jobs</c>).</summary>
public sealed record JobRecord(
    string Id,
    string Plugin,
    string State,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Env,
    int? ExitCode,
    string Stdout,
    string Stderr,
    bool StdoutTruncated,
    bool StderrTruncated,
    string? Error,
    DateTimeOffset StartedAt,
    double? DurationMs)
{
    public const string Running = "running";
    public const string Exited = "exited";
    public const string Failed = "failed";
    public const string TimedOut = "timed_out";
}
