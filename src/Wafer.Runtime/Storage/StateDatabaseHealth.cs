using System.Data.Common;
using System.Net.Sockets;
using Wafer.Storage;

namespace Wafer.Runtime.Storage;

/// <summary>
/// The state database's current <see cref="StateDatabaseStatus"/>, published whole (one volatile read for
/// <c>/readyz</c>). <see cref="StateDatabaseMonitor"/> sets it; a request that finds the database failing reports it
/// here, so <c>/readyz</c> says so before the next check.
/// </summary>
internal sealed class StateDatabaseHealth(SqlDatabase database, TimeProvider time)
{
    private StateDatabaseStatus _status = new(StateDatabaseStatus.Checking, database.Description, time.GetUtcNow());

    public StateDatabaseStatus Status => Volatile.Read(ref _status);

    /// <summary>Where the data lives, without credentials.</summary>
    public string Database => database.Description;

    /// <summary>True for the faults of a database that is down, unreachable or damaged, as opposed to a bug.</summary>
    public static bool IsDatabaseFault(Exception exception) =>
        exception is DbException or SocketException or TimeoutException or IOException
        || exception.InnerException is { } inner && IsDatabaseFault(inner);

    internal void Set(StateDatabaseStatus status) => Volatile.Write(ref _status, status);

    /// <summary>Marks the database unavailable after a failed request (a no-op while it already is).</summary>
    public void ReportFault(Exception exception)
    {
        var current = Status;
        if (current.Status != StateDatabaseStatus.Unavailable)
        {
            Set(new StateDatabaseStatus(StateDatabaseStatus.Unavailable, database.Description, time.GetUtcNow(), Describe(exception)));
        }
    }

    /// <summary>The first line of an error, cut short: enough to act on, never a stack or a connection string.</summary>
    internal static string Describe(Exception exception)
    {
        var message = exception.Message;
        var end = message.IndexOfAny(['\r', '\n']);
        message = end < 0 ? message : message[..end];
        return message.Length <= 300 ? message : message[..300] + "…";
    }

    /// <summary>True when the error says the SQLite file is damaged.</summary>
    internal static bool IsCorruption(Exception exception) => StateDatabase.IsCorruption(exception);
}
