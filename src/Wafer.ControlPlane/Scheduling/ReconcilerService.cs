using Microsoft.Extensions.Hosting;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>
/// Runs the <see cref="FleetReconciler"/>: loads the store, then applies the inbox's events in batches, with a
/// <see cref="Tick"/> every <paramref name="interval"/> so deadlines are noticed without traffic.
/// </summary>
public sealed class ReconcilerService(FleetReconciler reconciler, FleetInbox inbox, TimeSpan interval, TimeProvider time) : BackgroundService
{
    private const int MaxBatch = 512;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await reconciler.InitializeAsync(stoppingToken);
        _ = TickAsync(stoppingToken);
        var batch = new List<IFleetEvent>(MaxBatch);
        while (await inbox.Reader.WaitToReadAsync(stoppingToken))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && inbox.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await reconciler.HandleAsync(batch, stoppingToken);
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
