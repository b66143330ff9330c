using System.Diagnostics;
using Wafer.Hosting.Telemetry.Tracing;

namespace Wafer.Runtime.Capabilities;

/// <summary>
/// The spans of host work done for a guest (docs/tracing.md): one per capability operation, named after it
/// (<c>http.fetch</c>, <c>sql.query</c>, <c>models.invoke</c>...), and one per outbound HTTP request, whose context the
/// request carries as <c>traceparent</c>. Children of the call's span; nothing is built with tracing off.
/// </summary>
internal static class CapabilityTracing
{
    public const string SourceName = "Wafer.Capabilities";

    public static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartOperation(string operation, CapabilityCall call)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(operation, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TraceAttributes.Operation, operation);
            activity.SetTag(TraceAttributes.CallId, call.CallId);
        }

        return activity;
    }

    /// <summary>Marks the operation failed with what the guest was told.</summary>
    public static void Failed(Activity? activity, string message)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetStatus(ActivityStatusCode.Error, message);
        }
    }

    /// <summary>The span of one outbound request, its context put on the request (<c>traceparent</c>).</summary>
    public static Activity? StartRequest(HttpRequestMessage request, string shownUrl)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(request.Method.Method, ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }

        TraceParent.Inject(request, activity);
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(TraceAttributes.HttpMethod, request.Method.Method);
            activity.SetTag(TraceAttributes.Url, shownUrl);
        }

        return activity;
    }

    public static void Answered(Activity? activity, int status)
    {
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TraceAttributes.HttpStatus, status);
            if (status >= 500)
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }
}
