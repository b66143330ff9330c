using System.Diagnostics;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Http;
using Wafer.Hosting.Telemetry.Tracing;

namespace Wafer.GraphQL;

/// <summary>
/// The span of one GraphQL request (<c>wafer.graphql</c>, docs/tracing.md): a child of the caller's <c>traceparent</c>,
/// and the current span while the request runs, so the calls its fields make are its children. Recorded on the server's
/// own activity source (the runtime's or the gateway's); with tracing off nothing listens and nothing is built.
/// </summary>
internal static class GraphQLRequestSpan
{
    public const string Name = "wafer.graphql";

    public static Activity? Start(ActivitySource? source, HttpRequest request, GraphQLRequest graphQL)
    {
        if (source is null || !source.HasListeners())
        {
            return null;
        }

        var activity = WaferSpans.StartEntry(source, Name, ActivityKind.Server, TraceParent.From(request));
        if (activity is { IsAllDataRequested: true } && graphQL.OperationName is { Length: > 0 } operation)
        {
            activity.SetTag(TraceAttributes.GraphQLOperation, operation);
        }

        return activity;
    }

    /// <summary>Records how many errors the answer carries; any error marks the span failed with the first one's message.</summary>
    public static void End(Activity activity, ExecutionResult? result)
    {
        if (activity.IsAllDataRequested && result?.Errors is { Count: > 0 } errors)
        {
            activity.SetTag(TraceAttributes.GraphQLErrors, errors.Count);
            activity.SetStatus(ActivityStatusCode.Error, errors[0].Message);
        }

        activity.Dispose();
    }
}
