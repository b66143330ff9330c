namespace Wafer.Runtime.Storage;

/// <summary>
/// One table the retention sweep trims: the column it ages rows by (Unix milliseconds, indexed), the key it deletes
/// by, and which rows it may delete at all. Only the three below exist: their names go into SQL as they are.
/// </summary>
internal sealed class RetainedTable
{
    public static readonly RetainedTable CallLogs = new("call_logs", "call log lines", "time_ms", "id", "1=1");

    public static readonly RetainedTable Inferences = new("inferences", "inferences", "time_ms", "id", "1=1");

    /// <summary>A running job's record is its only trace: never deleted.</summary>
    public static readonly RetainedTable Jobs = new("jobs", "job records", "started_ms", "id", "state <> 'running'");

    private RetainedTable(string name, string what, string timeColumn, string keyColumn, string deletable)
    {
        Name = name;
        What = what;
        TimeColumn = timeColumn;
        KeyColumn = keyColumn;
        Deletable = deletable;
    }

    public string Name { get; }

    /// <summary>What the rows are, for the log.</summary>
    public string What { get; }

    public string TimeColumn { get; }

    public string KeyColumn { get; }

    /// <summary>The SQL condition of the rows that may be deleted.</summary>
    public string Deletable { get; }
}
