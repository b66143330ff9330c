using System.Diagnostics;

namespace Wafer.Hosting.Telemetry.Tracing;

/// <summary>Starting a span where a request or a call frame comes in.</summary>
public static class WaferSpans
{
    /// <summary>
    /// Starts a span that begins Wafer's part of a trace: a child of <paramref name="parent"/>, the context the caller sent,
    /// or the first span of a new trace when it sent none. Never a child of an activity something else started on this
    /// request (ASP.NET Core's own, when a diagnostic listener asked for it): that one is not recorded, and under a
    /// parent-based sampler its unsampled flag would drop the whole trace.
    /// </summary>
    public static Activity? StartEntry(ActivitySource source, string name, ActivityKind kind, in ActivityContext parent)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (parent == default && Activity.Current is { } current && !IsWafer(current.Source))
        {
            Activity.Current = null;
        }

        return source.StartActivity(name, kind, parent);
    }

    /// <summary>Whether <paramref name="source"/> is one of Wafer's (<c>Wafer.*</c>).</summary>
    public static bool IsWafer(ActivitySource source) => source.Name.StartsWith("Wafer.", StringComparison.Ordinal);
}
