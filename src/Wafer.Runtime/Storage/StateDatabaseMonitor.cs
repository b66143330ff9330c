using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Wafer.Runtime.Storage;

/// <summary>
/// Checks the state database at start, before anything else uses it, and keeps checking it. A damaged SQLite file is
/// moved aside (<c>wafer.db.corrupt-TIMESTAMP</c>) and a new database started, since call logs, inferences and job
/// records are history the runtime can serve without; a database that does not answer (PostgreSQL down) leaves the
/// runtime serving functions while <c>/readyz</c> says so, and is checked again until it answers.
/// </summary>
internal sealed partial class StateDatabaseMonitor(
    SqlDatabase database, StateDatabaseHealth health, TimeProvider time, ILogger<StateDatabaseMonitor> logger) : BackgroundService
{
    /// <summary>How long the check at start may hold up the start (an unreachable server can take its connect timeout).</summary>
    private static readonly TimeSpan StartBudget = TimeSpan.FromSeconds(10);

    /// <summary>How often a database that failed is checked again.</summary>
    internal static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);

    /// <summary>How often a database that works is asked a round trip, so <c>/readyz</c> notices when it goes away.</summary>
    internal static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(30);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(StartBudget);
        await CheckAsync(integrity: true, budget.Token, cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var usable = health.Status.Usable;
                await Task.Delay(usable ? ProbeInterval : RetryInterval, time, stoppingToken);
                await CheckAsync(integrity: !health.Status.Usable, stoppingToken, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// One check; a damaged SQLite file is quarantined and the check repeated on the new file. A check cut short by
    /// <paramref name="cancellationToken"/> (the time allowed at start) counts as no answer; one cut short by
    /// <paramref name="stopping"/> ends quietly.
    /// </summary>
    private async Task CheckAsync(bool integrity, CancellationToken cancellationToken, CancellationToken stopping)
    {
        var before = health.Status;
        try
        {
            await database.CheckAsync(integrity, cancellationToken);
            if (!before.Usable)
            {
                health.Set(new StateDatabaseStatus(StateDatabaseStatus.Ok, database.Description, time.GetUtcNow()));
                if (before.Status == StateDatabaseStatus.Unavailable)
                {
                    Available(logger, database.Description);
                }
            }
        }
        catch (Exception ex) when (StateDatabaseHealth.IsCorruption(ex) && database.SqliteFile is not null)
        {
            await RecoverAsync(ex, stopping);
        }
        catch (Exception ex) when (!stopping.IsCancellationRequested && (StateDatabaseHealth.IsDatabaseFault(ex) || ex is OperationCanceledException))
        {
            var reason = ex is OperationCanceledException ? $"no answer within {StartBudget.TotalSeconds:0} s" : StateDatabaseHealth.Describe(ex);
            health.Set(new StateDatabaseStatus(StateDatabaseStatus.Unavailable, database.Description,
                before.Status == StateDatabaseStatus.Unavailable ? before.Since : time.GetUtcNow(), reason));
            if (before.Status != StateDatabaseStatus.Unavailable)
            {
                Unavailable(logger, database.Description, reason, RetryInterval.TotalSeconds);
            }
        }
    }

    private async Task RecoverAsync(Exception corruption, CancellationToken cancellationToken)
    {
        var reason = StateDatabaseHealth.Describe(corruption);
        string quarantined;
        try
        {
            quarantined = database.Quarantine(time.GetUtcNow());
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var why = $"{reason}; moving it aside failed: {ex.Message}";
            health.Set(new StateDatabaseStatus(StateDatabaseStatus.Unavailable, database.Description, time.GetUtcNow(), why));
            Unavailable(logger, database.Description, why, RetryInterval.TotalSeconds);
            return;
        }

        Quarantined(logger, database.SqliteFile!, reason, quarantined);
        try
        {
            await database.CheckAsync(integrity: false, cancellationToken);
            health.Set(new StateDatabaseStatus(StateDatabaseStatus.Recovered, database.Description, time.GetUtcNow(), reason, quarantined));
        }
        catch (Exception ex) when (StateDatabaseHealth.IsDatabaseFault(ex))
        {
            var why = $"{reason}; the new database failed too: {StateDatabaseHealth.Describe(ex)}";
            health.Set(new StateDatabaseStatus(StateDatabaseStatus.Unavailable, database.Description, time.GetUtcNow(), why, quarantined));
            Unavailable(logger, database.Description, why, RetryInterval.TotalSeconds);
        }
    }

    [LoggerMessage(EventId = 2410, EventName = "StateDatabaseQuarantined", Level = LogLevel.Error,
        Message = "The state database {File} is damaged ({Reason}); moved it to {Quarantined} and started a new one. Call logs, inferences and job records from before are in the moved file")]
    private static partial void Quarantined(ILogger logger, string file, string reason, string quarantined);

    [LoggerMessage(EventId = 2411, EventName = "StateDatabaseUnavailable", Level = LogLevel.Error,
        Message = "The state database ({Database}) is unavailable: {Reason}. Functions are served; call logs, inferences and jobs are not until it answers (checked again every {Seconds} s; GET /readyz shows the state)")]
    private static partial void Unavailable(ILogger logger, string database, string reason, double seconds);

    [LoggerMessage(EventId = 2412, EventName = "StateDatabaseAvailable", Level = LogLevel.Information,
        Message = "The state database ({Database}) answers again")]
    private static partial void Available(ILogger logger, string database);
}
