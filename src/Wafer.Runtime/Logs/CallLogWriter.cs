using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Storage;

namespace Wafer.Runtime.Logs;

/// <summary>
/// Stores call log lines in batches off the call path, so a call never waits for the database. Lines still
/// queued at shutdown are written before the process stops. When the database falls far behind, or does not answer,
/// lines are dropped and counted, and the server log says so at most every <see cref="ReportInterval"/>. Live readers
/// (<see cref="CallLogTail"/>) get each line as it leaves the queue.
/// </summary>
internal sealed partial class CallLogWriter(ICallLogStore store, StateDatabaseHealth health, CallLogTail tail, ILogger<CallLogWriter> logger) : BackgroundService
{
    private const int BatchSize = 256;
    private const int QueueCapacity = 100_000;
    private static readonly TimeSpan ReportInterval = TimeSpan.FromSeconds(10);

    private readonly Channel<CallLogRecord> _queue = Channel.CreateBounded<CallLogRecord>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private long _dropped;
    private long _reported;
    private long _reportedAt;

    /// <summary>Queues a line; drops it (and counts the drop) when the database falls far behind.</summary>
    public void Enqueue(CallLogRecord line)
    {
        if (!_queue.Writer.TryWrite(line))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    /// <summary>Lines dropped since start: the queue was full, or the database refused their batch.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<CallLogRecord>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await DrainAsync(batch, CancellationToken.None);
                ReportDrops();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await DrainAsync(batch, CancellationToken.None);
        ReportDrops();
    }

    private async Task DrainAsync(List<CallLogRecord> batch, CancellationToken cancellationToken)
    {
        while (_queue.Reader.TryRead(out var line))
        {
            tail.Publish(line); // live readers see the line whether or not the database takes it
            batch.Add(line);
            if (batch.Count == BatchSize)
            {
                await WriteAsync(batch, cancellationToken);
            }
        }

        await WriteAsync(batch, cancellationToken);
    }

    private async Task WriteAsync(List<CallLogRecord> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await store.AddAsync(batch.ToArray(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Interlocked.Add(ref _dropped, batch.Count);
            if (health.Status.Usable)
            {
                // Once: while the database is unavailable the monitor has said so, and every batch would fail alike.
                WriteFailed(logger, batch.Count, ex);
            }

            if (StateDatabaseHealth.IsDatabaseFault(ex))
            {
                health.ReportFault(ex);
            }
        }

        batch.Clear();
    }

    private void ReportDrops()
    {
        var dropped = Dropped;
        if (dropped == _reported || Stopwatch.GetElapsedTime(_reportedAt) < ReportInterval && _reportedAt != 0)
        {
            return;
        }

        LinesDropped(logger, dropped - _reported, dropped);
        _reported = dropped;
        _reportedAt = Stopwatch.GetTimestamp();
    }

    [LoggerMessage(EventId = 2400, EventName = "CallLogWriteFailed", Level = LogLevel.Error, Message = "Could not store {Count} call log lines")]
    private static partial void WriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(EventId = 2401, EventName = "CallLogLinesDropped", Level = LogLevel.Warning,
        Message = "Dropped {Count} call log lines ({Total} since start): the state database did not keep up or did not answer")]
    private static partial void LinesDropped(ILogger logger, long count, long total);
}
