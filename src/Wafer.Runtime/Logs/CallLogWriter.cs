using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Storage;

namespace Wafer.Runtime.Logs;

/// <summary>
/// Stores guest log lines in batches off the call path, so a call never waits for the database. Lines still
/// queued at shutdown are written before the process stops.
/// </summary>
public sealed partial class CallLogWriter(ICallLogStore store, ILogger<CallLogWriter> logger) : BackgroundService
{
    private const int BatchSize = 256;
    private const int QueueCapacity = 100_000;

    private readonly Channel<CallLogRecord> _queue = Channel.CreateBounded<CallLogRecord>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private long _dropped;

    /// <summary>Queues a line; drops it (and counts the drop) when the database falls far behind.</summary>
    public void Enqueue(CallLogRecord line)
    {
        if (!_queue.Writer.TryWrite(line))
        {
            Interlocked.Increment(ref _dropped);
        }
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<CallLogRecord>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await DrainAsync(batch, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await DrainAsync(batch, CancellationToken.None);
    }

    private async Task DrainAsync(List<CallLogRecord> batch, CancellationToken cancellationToken)
    {
        while (_queue.Reader.TryRead(out var line))
        {
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
            WriteFailed(logger, batch.Count, ex);
        }

        batch.Clear();
    }

    [LoggerMessage(EventId = 2400, EventName = "CallLogWriteFailed", Level = LogLevel.Error, Message = "Could not store {Count} guest log lines")]
    private static partial void WriteFailed(ILogger logger, int count, Exception exception);
}
