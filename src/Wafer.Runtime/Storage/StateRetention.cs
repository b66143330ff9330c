using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Hosting;

namespace Wafer.Runtime.Storage;

/// <summary>
/// Applies <see cref="RetentionOptions"/> in the background: a minute after start (or one interval, if shorter) and
/// then every interval it deletes call log
/// lines, inferences and finished job records past their age or count limit, in small batches, so calls never wait
/// for it. A sweep that fails (the database is down) is logged and tried again at the next interval.
/// </summary>
internal sealed partial class StateRetention(
    SqlRetention sql, StateDatabaseHealth health, IOptions<RuntimeOptions> options, TimeProvider time, ILogger<StateRetention> logger)
    : BackgroundService
{
    /// <summary>The first sweep runs this long after start, or one interval after it when that is shorter.</summary>
    public static readonly TimeSpan FirstSweepAfter = TimeSpan.FromMinutes(1);

    private readonly RetentionOptions _options = options.Value.Retention;
    private long _sweeps;

    /// <summary>Sweeps finished since start (tests wait on it rather than on time).</summary>
    public long Sweeps => Interlocked.Read(ref _sweeps);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // Not at once: a runtime's first seconds belong to loading plugins, warming up and joining its fleet.
            await Task.Delay(_options.Interval < FirstSweepAfter ? _options.Interval : FirstSweepAfter, time, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                await SweepAsync(stoppingToken);
                await Task.Delay(_options.Interval, time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One sweep over the three tables.</summary>
    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        if (health.Status.Usable)
        {
            try
            {
                await TrimAsync(RetainedTable.CallLogs, _options.LogMaxAge, _options.LogMaxLines, cancellationToken);
                await TrimAsync(RetainedTable.Inferences, _options.InferenceMaxAge, _options.InferenceMaxRecords, cancellationToken);
                await TrimAsync(RetainedTable.Jobs, _options.JobMaxAge, _options.JobMaxRecords, cancellationToken);
            }
            catch (Exception ex) when (StateDatabaseHealth.IsDatabaseFault(ex))
            {
                SweepFailed(logger, ex.Message);
                health.ReportFault(ex);
            }
        }

        Interlocked.Increment(ref _sweeps);
    }

    private async Task TrimAsync(RetainedTable table, TimeSpan maxAge, long maxCount, CancellationToken cancellationToken)
    {
        long deleted = 0;
        if (maxAge > TimeSpan.Zero)
        {
            deleted += await sql.DeleteOlderThanAsync(table, time.GetUtcNow() - maxAge, cancellationToken);
        }

        if (maxCount > 0)
        {
            deleted += await sql.KeepNewestAsync(table, maxCount, cancellationToken);
        }

        if (deleted > 0)
        {
            Trimmed(logger, deleted, table.What, maxAge, maxCount);
        }
    }

    [LoggerMessage(EventId = 2420, EventName = "RetentionDeleted", Level = LogLevel.Information,
        Message = "Deleted {Count} {What} past retention (older than {MaxAge}, or beyond the newest {MaxCount}; 0 is no limit)")]
    private static partial void Trimmed(ILogger logger, long count, string what, TimeSpan maxAge, long maxCount);

    [LoggerMessage(EventId = 2421, EventName = "RetentionFailed", Level = LogLevel.Warning,
        Message = "The retention sweep of the state database failed: {Reason}; trying again at the next interval")]
    private static partial void SweepFailed(ILogger logger, string reason);
}
