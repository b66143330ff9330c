namespace Wafer.Runtime.Invocation;

/// <summary>Counts function calls for the load a runtime reports: calls running now and calls finished so far.</summary>
public sealed class CallCounters
{
    private int _inFlight;
    private long _completed;

    public int InFlight => Volatile.Read(ref _inFlight);

    public long Completed => Interlocked.Read(ref _completed);

    internal void Started() => Interlocked.Increment(ref _inFlight);

    internal void Finished()
    {
        Interlocked.Decrement(ref _inFlight);
        Interlocked.Increment(ref _completed);
    }
}
