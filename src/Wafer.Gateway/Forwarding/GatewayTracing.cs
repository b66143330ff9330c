using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Wafer.Gateway.Health;
using Wafer.Hosting.Telemetry.Tracing;
using Wafer.Protocol.Http;

namespace Wafer.Gateway.Forwarding;

/// <summary>
/// The gateway's spans (docs/tracing.md): one per function call it forwards (<see cref="CallSpan"/>, a child of the
/// caller's <c>traceparent</c> when it sent one) and one per attempt on a replica (<see cref="SendSpan"/>), whose
/// context goes to the runtime in the call frame or as <c>traceparent</c>. With tracing off nothing listens to
/// <see cref="Source"/> and nothing is built.
/// </summary>
internal static class GatewayTracing
{
    public const string SourceName = "Wafer.Gateway";

    public const string CallSpan = "wafer.gateway.call";

    public const string SendSpan = "wafer.gateway.send";

    public const string HandlerSpan = "wafer.gateway.handler";

    public const string CallProtocol = "call-protocol";

    public const string Http = "http";

    public static readonly ActivitySource Source = new(SourceName);

    public static Activity? StartCall(HttpRequest request, string deployment, string plugin, string function)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = WaferSpans.StartEntry(Source, CallSpan, ActivityKind.Server, TraceParent.From(request));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TraceAttributes.Deployment, deployment);
            activity.SetTag(TraceAttributes.Plugin, plugin);
            activity.SetTag(TraceAttributes.Function, function);
        }

        return activity;
    }

    /// <summary>The span of a request a deployment's handler route answers, a child of the caller's <c>traceparent</c>.</summary>
    public static Activity? StartHandler(HttpRequest request, string deployment)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = WaferSpans.StartEntry(Source, HandlerSpan, ActivityKind.Server, TraceParent.From(request));
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TraceAttributes.Deployment, deployment);
            activity.SetTag(TraceAttributes.HttpMethod, request.Method);
            activity.SetTag(TraceAttributes.UrlPath, request.Path.Value);
        }

        return activity;
    }

    /// <summary>Records the answer the caller got: its status, the call id and the runtime that answered.</summary>
    public static void EndCall(Activity activity, HttpResponse response)
    {
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(TraceAttributes.HttpStatus, response.StatusCode);
            if (response.Headers[WaferHeaders.CallId] is { Count: 1 } callId)
            {
                activity.SetTag(TraceAttributes.CallId, callId.ToString());
            }

            if (response.Headers[WaferHeaders.Runtime] is { Count: 1 } runtime)
            {
                activity.SetTag(TraceAttributes.Runtime, runtime.ToString());
            }

            if (response.StatusCode >= 500)
            {
                activity.SetStatus(ActivityStatusCode.Error, $"answered {response.StatusCode}");
            }
        }

        activity.Dispose();
    }

    public static Activity? StartSend(Destination destination, string transport)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(SendSpan, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TraceAttributes.Runtime, destination.RuntimeName);
            activity.SetTag(TraceAttributes.Transport, transport);
        }

        return activity;
    }

    /// <summary>Records how an attempt ended: the runtime's status, or why it failed.</summary>
    public static void EndSend(Activity? activity, int status, string? failure)
    {
        if (activity is null)
        {
            return;
        }

        if (activity.IsAllDataRequested)
        {
            if (status > 0)
            {
                activity.SetTag(TraceAttributes.HttpStatus, status);
            }

            if (failure is not null)
            {
                activity.SetTag(TraceAttributes.ErrorType, failure);
                activity.SetStatus(ActivityStatusCode.Error, failure);
            }
        }

        activity.Dispose();
    }

    /// <summary>The context a call to a runtime carries: the current gateway span's, default without one (tracing off).</summary>
    public static ActivityContext CurrentContext() => Current()?.Context ?? default;

    /// <summary>The gateway's span this code runs under; null without one (tracing off).</summary>
    public static Activity? Current() => Activity.Current is { } current && current.Source == Source ? current : null;
}
