namespace Wafer.Runtime.Agent;

/// <summary>How long the agent waits before its next connection attempt: doubling from 100 ms, capped at 5 s, with jitter.</summary>
internal static class ReconnectBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(5);

    /// <param name="failures">Attempts that failed in a row (0 right after a connection is lost).</param>
    public static TimeSpan Delay(int failures, Random? random = null)
    {
        var full = Math.Min(Cap.TotalMilliseconds, First.TotalMilliseconds * Math.Pow(2, Math.Clamp(failures, 0, 16)));
        return TimeSpan.FromMilliseconds(full * (0.8 + (random ?? Random.Shared).NextDouble() * 0.2));
    }
}
