using System.Diagnostics;
using Wafer.Hosting.Http;

namespace Wafer.Hosting.Telemetry.Tracing;

/// <summary>One finished span as <c>GET /api/traces</c> shows it.</summary>
internal sealed record SpanView(
    string Name,
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Kind,
    string Service,
    DateTimeOffset Start,
    double DurationMs,
    string Status,
    string? StatusDescription,
    IReadOnlyDictionary<string, object?> Attributes)
{
    public static SpanView Of(Activity span, string service)
    {
        ArgumentNullException.ThrowIfNull(span);
        var attributes = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (key, value) in span.TagObjects)
        {
            attributes[key] = value;
        }

        return new SpanView(
            span.DisplayName,
            span.TraceId.ToHexString(),
            span.SpanId.ToHexString(),
            span.ParentSpanId == default ? null : span.ParentSpanId.ToHexString(),
            span.Kind.ToString().ToLowerInvariant(),
            service,
            new DateTimeOffset(span.StartTimeUtc, TimeSpan.Zero),
            span.Duration.TotalMilliseconds,
            span.Status switch { ActivityStatusCode.Ok => "ok", ActivityStatusCode.Error => "error", _ => "unset" },
            span.StatusDescription,
            attributes);
    }

    /// <summary>This span as a caller without the token sees it: every address in its texts hidden (<see cref="AddressText"/>).</summary>
    public SpanView WithoutAddresses() => this with
    {
        StatusDescription = StatusDescription is null ? null : AddressText.Hide(StatusDescription),
        Attributes = Attributes.ToDictionary(a => a.Key, a => a.Value is string text ? AddressText.Hide(text) : a.Value, StringComparer.Ordinal),
    };
}
