using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>
/// Runs the <see cref="FleetReconciler"/>: loads the store, then applies the inbox's events in batches, with a
/// <see cref="Tick"/> every <paramref name="interval"/> so deadlines are noticed without traffic.
/// </summary>
internal sealed class ReconcilerService(FleetReconciler reconciler, FleetInbox inbox, ReconcileStats stats, TimeSpan interval, TimeProvider time)
    : BackgroundService
{
    private const int MaxBatch = 512;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await reconciler.InitializeAsync(stoppingToken);
        _ = TickAsync(stoppingToken);
        var posted = new List<PostedEvent>(MaxBatch);
        var batch = new List<IFleetEvent>(MaxBatch);
        while (await inbox.Reader.WaitToReadAsync(stoppingToken))
        {
            posted.Clear();
            batch.Clear();
            while (batch.Count < MaxBatch && inbox.Reader.TryRead(out var next))
            {
                posted.Add(next);
                batch.Add(next.Event);
            }

            var started = Stopwatch.GetTimestamp();
            await reconciler.HandleAsync(batch, stoppingToken);
            stats.Record(posted, started, Stopwatch.GetTimestamp());
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await inbox.PostAsync(new Tick(), stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
