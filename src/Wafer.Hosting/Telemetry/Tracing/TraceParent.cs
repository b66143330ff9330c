using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Wafer.Hosting.Telemetry.Tracing;

/// <summary>The W3C Trace Context headers (<c>traceparent</c>, <c>tracestate</c>): read from callers, written on outbound requests.</summary>
public static class TraceParent
{
    public const string Header = "traceparent";

    public const string StateHeader = "tracestate";

    /// <summary>The trace context a request carries; default when it has none or an invalid one (a new trace starts then).</summary>
    public static ActivityContext From(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var headers = request.Headers;
        var parent = headers[Header];
        if (parent.Count != 1)
        {
            return default; // none, or several: W3C says to start afresh
        }

        var state = headers[StateHeader];
        return ActivityContext.TryParse(parent[0], state.Count == 0 ? null : string.Join(',', state.ToArray()), isRemote: true, out var context)
            ? context
            : default;
    }

    /// <summary>Puts <paramref name="span"/>'s context on <paramref name="request"/>, in place of any the request carried.</summary>
    public static void Inject(HttpRequestMessage request, Activity span)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(span);
        request.Headers.Remove(Header);
        request.Headers.Remove(StateHeader);
        request.Headers.TryAddWithoutValidation(Header, span.Id);
        if (span.TraceStateString is { Length: > 0 } state)
        {
            request.Headers.TryAddWithoutValidation(StateHeader, state);
        }
    }
}
