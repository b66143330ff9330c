using System.Diagnostics;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>
/// How far behind the reconciler runs: for each event, the time from its arrival in the <see cref="FleetInbox"/> to
/// the end of the batch that applied it (reconciled and published). Written by the reconciler loop once per batch,
/// read by <c>GET /api/stats</c>; the lag figures cover the last <see cref="Window"/> events.
/// </summary>
internal sealed class ReconcileStats
{
    public const int Window = 4096;

    private readonly Lock _lock = new();
    private readonly double[] _lags = new double[Window];
    private long _events;
    private long _batches;
    private double _busyMs;
    private double _maxLagMs;
    private Action<double>? _lagObserver;

    /// <summary>Also hands each event's lag in seconds to <paramref name="observer"/> (the <c>/metrics</c> histogram).</summary>
    public void ObserveLags(Action<double> observer) => _lagObserver = observer;

    /// <summary>Records one applied batch: when each of its events arrived, when it started and when it ended.</summary>
    public void Record(IReadOnlyList<PostedEvent> batch, long startedAt, long endedAt)
    {
        if (_lagObserver is { } observer)
        {
            foreach (var posted in batch)
            {
                observer(Stopwatch.GetElapsedTime(posted.PostedAt, endedAt).TotalSeconds);
            }
        }

        lock (_lock)
        {
            foreach (var posted in batch)
            {
                var lag = Stopwatch.GetElapsedTime(posted.PostedAt, endedAt).TotalMilliseconds;
                _lags[_events++ % Window] = lag;
                _maxLagMs = Math.Max(_maxLagMs, lag);
            }

            _batches++;
            _busyMs += Stopwatch.GetElapsedTime(startedAt, endedAt).TotalMilliseconds;
        }
    }

    public ReconcileStatsView Snapshot(int inboxDepth)
    {
        double[] recent;
        long events, batches;
        double busy, max;
        lock (_lock)
        {
            recent = _lags[..(int)Math.Min(_events, Window)];
            (events, batches, busy, max) = (_events, _batches, _busyMs, _maxLagMs);
        }

        Array.Sort(recent);
        return new ReconcileStatsView(events, batches, inboxDepth, Math.Round(busy, 1),
            Math.Round(Percentile(recent, 0.50), 2), Math.Round(Percentile(recent, 0.99), 2),
            Math.Round(recent.Length == 0 ? 0 : recent[^1], 2), Math.Round(max, 2));
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

/// <param name="Events">Events applied since start.</param>
/// <param name="Batches">Batches applied since start (one reconcile pass at most per batch).</param>
/// <param name="InboxDepth">Events waiting now.</param>
/// <param name="BusyMs">Time spent applying batches since start; its growth per second is the loop's utilisation.</param>
/// <param name="LagP50Ms">Median lag over the last <see cref="ReconcileStats.Window"/> events.</param>
/// <param name="LagP99Ms">99th percentile lag over the same events.</param>
/// <param name="LagMaxMs">Largest lag over the same events.</param>
/// <param name="LagMaxSinceStartMs">Largest lag since start.</param>
internal sealed record ReconcileStatsView(
    long Events, long Batches, int InboxDepth, double BusyMs, double LagP50Ms, double LagP99Ms, double LagMaxMs, double LagMaxSinceStartMs);
