namespace Wafer.Runtime.Storage;

/// <summary>
/// One table the retention sweep trims: the column it ages rows by (Unix milliseconds, indexed), the key it deletes
/// by, and which rows it may delete at all.
/// </summary>
internal sealed record RetainedTable(string Name, string What, string TimeColumn, string KeyColumn, string Deletable)
{
    public static readonly RetainedTable CallLogs = new("call_logs", "call log lines", "time_ms", "id", "1=1");

    public static readonly RetainedTable Inferences = new("inferences", "inferences", "time_ms", "id", "1=1");

    /// <summary>A running job's record is its only trace: never deleted.</summary>
    public static readonly RetainedTable Jobs = new("jobs", "job records", "started_ms", "id", "state <> 'running'");
}
