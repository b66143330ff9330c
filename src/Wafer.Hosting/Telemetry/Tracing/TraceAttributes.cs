namespace Wafer.Hosting.Telemetry.Tracing;

/// <summary>The attribute names Wafer's spans carry (docs/tracing.md): Wafer's own, and OpenTelemetry's semantic conventions where one fits.</summary>
public static class TraceAttributes
{
    public const string Plugin = "wafer.plugin";

    public const string Function = "wafer.function";

    /// <summary>The call id a runtime answers with (<c>X-Wafer-Call-Id</c>), the key of <c>GET /api/traces?callId=</c>.</summary>
    public const string CallId = "wafer.call_id";

    /// <summary>How a call ended: <c>ok</c>, or the failure's cause (<c>guest_error</c>, <c>timeout</c>, <c>out_of_memory</c>, <c>trap</c>...).</summary>
    public const string Outcome = "wafer.outcome";

    public const string Runtime = "wafer.runtime";

    /// <summary>How the gateway reached the runtime: <c>call-protocol</c> or <c>http</c>.</summary>
    public const string Transport = "wafer.transport";

    public const string Deployment = "wafer.deployment";

    public const string Operation = "wafer.capability.operation";

    public const string ErrorType = "error.type";

    public const string HttpMethod = "http.request.method";

    public const string HttpStatus = "http.response.status_code";

    public const string Url = "url.full";

    /// <summary>The handler route (its declared path) that answered a request.</summary>
    public const string HttpRoute = "http.route";

    /// <summary>The path of a request a handler route answered.</summary>
    public const string UrlPath = "url.path";

    /// <summary>A GraphQL request's operation name, when it gave one.</summary>
    public const string GraphQLOperation = "graphql.operation.name";

    /// <summary>How many errors a GraphQL answer carried.</summary>
    public const string GraphQLErrors = "wafer.graphql.errors";
}
