using System.Diagnostics;
using Wafer.Hosting.Telemetry.Tracing;
using Wafer.Protocol.Calls;
using Wafer.Runtime.Catalog;

namespace Wafer.Runtime.Telemetry;

/// <summary>
/// The runtime's spans (docs/tracing.md): one per function call, whatever carried it. With tracing off nothing listens
/// to <see cref="Source"/>, <see cref="ActivitySource.StartActivity(string, ActivityKind, ActivityContext, IEnumerable{KeyValuePair{string, object?}}?, IEnumerable{ActivityLink}?, DateTimeOffset)"/>
/// returns null, and a call pays one check.
/// </summary>
internal static class RuntimeTracing
{
    public const string SourceName = "Wafer.Runtime";

    public const string CallSpan = "wafer.call";

    public const string HandlerSpan = "wafer.handler";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The span of one call of <paramref name="function"/>, child of <paramref name="parent"/> (default: the current span).</summary>
    public static Activity? StartCall(RegisteredFunction function, string callId, in ActivityContext parent)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = WaferSpans.StartEntry(Source, CallSpan, ActivityKind.Server, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TraceAttributes.Plugin, function.Plugin.Name);
            activity.SetTag(TraceAttributes.Function, function.Name);
            activity.SetTag(TraceAttributes.CallId, callId);
        }

        return activity;
    }

    /// <summary>Records how the call ended: <c>wafer.outcome</c>, and an error status with the cause and message on failure.</summary>
    public static void EndCall(Activity activity, in CallOutcome outcome)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(TraceAttributes.Outcome, outcome.Cause);
            if (!outcome.Succeeded)
            {
                activity.SetTag(TraceAttributes.ErrorType, outcome.Cause);
                activity.SetStatus(ActivityStatusCode.Error, outcome.Message is { } message ? outcome.Cause + ": " + message : outcome.Cause);
            }
        }

        activity.Dispose();
    }

    /// <summary>The span of one request a plugin's handler route answers (WAGI), child of the caller's <c>traceparent</c>.</summary>
    public static Activity? StartHandler(Microsoft.AspNetCore.Http.HttpRequest request, string plugin, string route, string callId)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = WaferSpans.StartEntry(Source, HandlerSpan, ActivityKind.Server, TraceParent.From(request));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TraceAttributes.Plugin, plugin);
            activity.SetTag(TraceAttributes.HttpRoute, route);
            activity.SetTag(TraceAttributes.HttpMethod, request.Method);
            activity.SetTag(TraceAttributes.UrlPath, request.Path.Value);
            activity.SetTag(TraceAttributes.CallId, callId);
        }

        return activity;
    }

    /// <summary>Records the status the handler answered; a 5xx (the program failed, or its answer was not CGI) is an error.</summary>
    public static void EndHandler(Activity activity, int status)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(TraceAttributes.HttpStatus, status);
            if (status >= 500)
            {
                activity.SetStatus(ActivityStatusCode.Error, $"answered {status}");
            }
        }

        activity.Dispose();
    }

    /// <summary>The caller's W3C trace context from a request's <c>traceparent</c> and <c>tracestate</c>; default without tracing or a valid one.</summary>
    public static ActivityContext CallerContext(Microsoft.AspNetCore.Http.HttpRequest request) =>
        Source.HasListeners() ? TraceParent.From(request) : default;
}
