using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Storage;

namespace Wafer.Runtime.Capabilities.Models;

/// <summary>
/// Writes model calls to the inference history off the call path, so a guest never waits for the database.
/// Records still queued at shutdown are written before the process stops.
/// </summary>
internal sealed partial class InferenceRecorder(IInferenceStore store, ILogger<InferenceRecorder> logger) : BackgroundService
{
    private const int QueueCapacity = 10_000;

    private readonly Channel<InferenceRecord> _queue = Channel.CreateBounded<InferenceRecord>(
        new BoundedChannelOptions(QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    private long _dropped;

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(InferenceRecord record)
    {
        if (!_queue.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _dropped);
            RecordDropped(logger, record.Plugin, record.Function, record.CallId);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await DrainAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await DrainAsync();
    }

    private async Task DrainAsync()
    {
        while (_queue.Reader.TryRead(out var record))
        {
            try
            {
                await store.AddAsync(record, CancellationToken.None);
            }
            catch (Exception ex)
            {
                WriteFailed(logger, record.Plugin, record.Function, record.CallId, ex);
            }
        }
    }

    [LoggerMessage(EventId = 2520, EventName = "InferenceWriteFailed", Level = LogLevel.Error,
        Message = "Could not store the inference of {Plugin}/{Function} {CallId}")]
    private static partial void WriteFailed(ILogger logger, string plugin, string function, string callId, Exception exception);

    [LoggerMessage(EventId = 2521, EventName = "InferenceDropped", Level = LogLevel.Warning,
        Message = "The inference history is too far behind; dropped the record of {Plugin}/{Function} {CallId}")]
    private static partial void RecordDropped(ILogger logger, string plugin, string function, string callId);
}
