namespace Wafer.Triggers;

/// <summary>
/// One trigger's share of work: at most <c>maxConcurrent</c> calls at once, at most <c>maxWaiting</c> more waiting
/// their turn. A message beyond that is refused at once, so a slow function neither blocks the MQTT client's loop
/// nor lets messages pile up without bound.
/// </summary>
internal sealed class TriggerLane(int maxConcurrent, int maxWaiting)
{
    private readonly SemaphoreSlim _running = new(maxConcurrent, maxConcurrent);
    private int _admitted;

    public int MaxConcurrent => maxConcurrent;

    /// <summary>Admits one more call (running or waiting), or false when the lane is full.</summary>
    public bool TryAdmit()
    {
        if (Interlocked.Increment(ref _admitted) <= maxConcurrent + maxWaiting)
        {
            return true;
        }

        Interlocked.Decrement(ref _admitted);
        return false;
    }

    /// <summary>Runs an admitted call when a slot is free, and lets the next one in after it.</summary>
    public async Task RunAsync(Func<Task> call, CancellationToken cancellationToken)
    {
        try
        {
            await _running.WaitAsync(cancellationToken);
            try
            {
                await call();
            }
            finally
            {
                _running.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _admitted);
        }
    }
}
