namespace Wafer.Gateway.Health;

/// <summary>The gateway's health timestamps: milliseconds of a <see cref="TimeProvider"/>, so tests can move time on.</summary>
internal static class GatewayClock
{
    /// <summary>Now, in milliseconds since an arbitrary start (monotonic).</summary>
    public static long NowMs(this TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return time.GetTimestamp() / Math.Max(1, time.TimestampFrequency / 1000);
    }

    public static long Ms(this TimeSpan span) => (long)span.TotalMilliseconds;
}
