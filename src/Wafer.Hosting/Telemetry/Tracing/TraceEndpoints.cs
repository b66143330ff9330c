using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Wafer.Hosting.Http;
using Wafer.Protocol.Problems;

namespace Wafer.Hosting.Telemetry.Tracing;

/// <summary>
/// The recent spans this process recorded (<see cref="RecentTraces"/>): <c>GET /api/traces/{traceId}</c>,
/// <c>GET /api/traces?callId=ID</c> (the trace holding that call), <c>GET /api/traces</c> (the newest traces). With
/// tracing off every one is a 404 problem with <c>"tracing": "off"</c>. Reads are public, as every <c>GET /api/…</c>,
/// but the addresses spans name (outbound URLs, addresses quoted in errors) are shown only to holders of the token.
/// </summary>
public static class TraceEndpoints
{
    public const string Path = "/api/traces";

    /// <summary>How many traces <c>GET /api/traces</c> lists.</summary>
    public const int Listed = 50;

    /// <param name="holdsToken">Whether a request carries the server's token (true for everyone when it has none).</param>
    public static IEndpointRouteBuilder MapWaferTraces(this IEndpointRouteBuilder endpoints, Func<HttpContext, bool> holdsToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(holdsToken);
        endpoints.MapGet(Path + "/{traceId}", (string traceId, HttpContext context, IOptions<TracingOptions> options, RecentTraces store) =>
        {
            if (!options.Value.Enabled)
            {
                return Off();
            }

            if (!IsTraceId(traceId))
            {
                return Problems.BadRequest($"'{Shown(traceId)}' is not a trace id (32 lowercase hexadecimal digits, not all zero)");
            }

            return store.Find(traceId) is { } found
                ? Results.Ok(TraceView.Of(traceId, found.Spans, found.Dropped, holdsToken(context)))
                : Problems.NotFound($"no span of trace {traceId} is kept here (this server keeps the last {options.Value.RecentTraces} traces)");
        });
        endpoints.MapGet(Path, (string? callId, HttpContext context, IOptions<TracingOptions> options, RecentTraces store) =>
        {
            if (!options.Value.Enabled)
            {
                return Off();
            }

            var addresses = holdsToken(context);
            if (callId is null)
            {
                return Results.Ok(new { traces = store.Latest(Listed).Select(t => TraceView.Of(t.TraceId, t.Spans, 0, addresses)) });
            }

            return store.TraceOfCall(callId) is { } traceId && store.Find(traceId) is { } found
                ? Results.Ok(TraceView.Of(traceId, found.Spans, found.Dropped, addresses))
                : Problems.NotFound($"no span of call '{Shown(callId)}' is kept here");
        });
        return endpoints;
    }

    private static IResult Off() => Problems.Create(ProblemTypes.NotFound,
        "tracing is off on this server: set OTEL_TRACES_EXPORTER=otlp with OTEL_EXPORTER_OTLP_ENDPOINT, or start it with --traces",
        extensions: [KeyValuePair.Create<string, object?>("tracing", "off")]);

    private static bool IsTraceId(string value) =>
        value.Length == 32 && value.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f') && value.Any(c => c != '0');

    private static string Shown(string value) => value.Length <= 64 && !value.Any(char.IsControl) ? value : value[..Math.Min(value.Length, 64)].ReplaceLineEndings(" ") + "…";

    /// <summary>One trace as the endpoints answer it.</summary>
    internal sealed record TraceView(string TraceId, IReadOnlyList<SpanView> Spans, int DroppedSpans)
    {
        public static TraceView Of(string traceId, IReadOnlyList<SpanView> spans, int dropped, bool addresses) =>
            new(traceId, addresses ? spans : spans.Select(s => s.WithoutAddresses()).ToList(), dropped);
    }
}
