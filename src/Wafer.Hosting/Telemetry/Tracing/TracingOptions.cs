using Microsoft.Extensions.Configuration;

namespace Wafer.Hosting.Telemetry.Tracing;

/// <summary>
/// Whether a server records spans and where they go (docs/tracing.md), from the standard OpenTelemetry variables
/// (<see cref="Names"/>) and <c>--traces</c>. Off by default: without an exporter or <c>--traces</c>, nothing listens
/// to Wafer's activity sources and no span is ever built.
/// </summary>
public sealed class TracingOptions
{
    /// <summary>The variables read, as the OpenTelemetry specification names them.</summary>
    internal static class Names
    {
        public const string SdkDisabled = "OTEL_SDK_DISABLED";
        public const string Exporter = "OTEL_TRACES_EXPORTER";
        public const string Endpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
        public const string TracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
        public const string Protocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
        public const string TracesProtocol = "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL";
        public const string Headers = "OTEL_EXPORTER_OTLP_HEADERS";
        public const string TracesHeaders = "OTEL_EXPORTER_OTLP_TRACES_HEADERS";
        public const string ServiceName = "OTEL_SERVICE_NAME";
        public const string Sampler = "OTEL_TRACES_SAMPLER";
        public const string SamplerArg = "OTEL_TRACES_SAMPLER_ARG";
    }

    public const string GrpcProtocol = "grpc";

    public const string HttpProtobufProtocol = "http/protobuf";

    /// <summary><c>OTEL_SDK_DISABLED=true</c>: no spans, whatever else is set.</summary>
    public bool Disabled { get; set; }

    /// <summary><c>OTEL_TRACES_EXPORTER</c>: <c>otlp</c> or <c>none</c>; unset, <c>otlp</c> when an OTLP endpoint is set.</summary>
    public string? Exporter { get; set; }

    /// <summary>Where spans go: <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> as is, or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (with <c>/v1/traces</c> over HTTP).</summary>
    public string? TracesEndpoint { get; set; }

    public string? Endpoint { get; set; }

    /// <summary><c>http/protobuf</c> (the default, as the specification recommends) or <c>grpc</c>.</summary>
    public string Protocol { get; set; } = HttpProtobufProtocol;

    /// <summary><c>OTEL_EXPORTER_OTLP_HEADERS</c>: <c>key=value,...</c> sent with every export (a collector's API key).</summary>
    public string? Headers { get; set; }

    /// <summary><c>OTEL_SERVICE_NAME</c>; unset, the server's kind (<c>wafer-runtime</c>, <c>wafer-gateway</c>...).</summary>
    public string? ServiceName { get; set; }

    /// <summary><c>OTEL_TRACES_SAMPLER</c>: <c>parentbased_always_on</c> (default), <c>always_on</c>, <c>always_off</c>, <c>traceidratio</c>, <c>parentbased_always_off</c>, <c>parentbased_traceidratio</c>.</summary>
    public string Sampler { get; set; } = "parentbased_always_on";

    /// <summary><c>OTEL_TRACES_SAMPLER_ARG</c>: the ratio of the <c>traceidratio</c> samplers, 0 to 1 (default 1).</summary>
    public string? SamplerArg { get; set; }

    /// <summary><c>--traces</c>: record spans for <c>GET /api/traces</c> even without an exporter.</summary>
    public bool KeepRecent { get; set; }

    /// <summary>How many recent traces <c>GET /api/traces</c> keeps (the oldest go first).</summary>
    public int RecentTraces { get; set; } = 1000;

    /// <summary>How many spans of one trace it keeps (the rest are counted, not kept).</summary>
    public int SpansPerTrace { get; set; } = 1000;

    /// <summary>Whether spans go to an OTLP endpoint.</summary>
    public bool Exports => !Disabled && (Exporter is null ? TracesEndpoint is not null || Endpoint is not null : IsOtlp(Exporter));

    /// <summary>Whether anything listens to Wafer's spans at all.</summary>
    public bool Enabled => !Disabled && (Exports || KeepRecent);

    /// <summary>The OTLP endpoint spans are sent to, whole.</summary>
    public Uri ExportEndpoint()
    {
        if (TracesEndpoint is { } traces)
        {
            return new Uri(traces);
        }

        var grpc = Protocol == GrpcProtocol;
        var root = Endpoint ?? (grpc ? "http://localhost:4317" : "http://localhost:4318");
        return grpc ? new Uri(root) : new Uri(root.TrimEnd('/') + "/v1/traces");
    }

    /// <summary>Reads the standard variables from <paramref name="configuration"/> (the environment, in a server).</summary>
    public void ReadFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Disabled = string.Equals(Value(configuration, Names.SdkDisabled), "true", StringComparison.OrdinalIgnoreCase);
        Exporter = Value(configuration, Names.Exporter)?.ToLowerInvariant() ?? Exporter;
        TracesEndpoint = Value(configuration, Names.TracesEndpoint) ?? TracesEndpoint;
        Endpoint = Value(configuration, Names.Endpoint) ?? Endpoint;
        Protocol = (Value(configuration, Names.TracesProtocol) ?? Value(configuration, Names.Protocol))?.ToLowerInvariant() ?? Protocol;
        Headers = Value(configuration, Names.TracesHeaders) ?? Value(configuration, Names.Headers) ?? Headers;
        ServiceName = Value(configuration, Names.ServiceName) ?? ServiceName;
        Sampler = Value(configuration, Names.Sampler)?.ToLowerInvariant() ?? Sampler;
        SamplerArg = Value(configuration, Names.SamplerArg) ?? SamplerArg;
    }

    /// <summary>Every problem with the settings, each naming the variable to fix.</summary>
    public IEnumerable<string> Errors()
    {
        if (Exporter is { } exporter && !IsOtlp(exporter) && exporter != "none")
        {
            yield return $"{Names.Exporter}: '{exporter}' is not an exporter Wafer has; use otlp or none";
        }

        if (Protocol is not (GrpcProtocol or HttpProtobufProtocol))
        {
            yield return $"{Names.Protocol}: '{Protocol}' is not a protocol Wafer's exporter speaks; use http/protobuf or grpc";
        }

        foreach (var (name, value) in new[] { (Names.TracesEndpoint, TracesEndpoint), (Names.Endpoint, Endpoint) })
        {
            if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            {
                yield return $"{name}: '{value}' is not an http or https URL";
            }
        }

        if (Sampler is not ("always_on" or "always_off" or "traceidratio" or "parentbased_always_on" or "parentbased_always_off" or "parentbased_traceidratio"))
        {
            yield return $"{Names.Sampler}: '{Sampler}' is not a sampler Wafer has; use parentbased_always_on, always_on, always_off, traceidratio, "
                + "parentbased_always_off or parentbased_traceidratio";
        }

        if (SamplerArg is { } arg && Sampler.EndsWith("traceidratio", StringComparison.Ordinal) && Ratio() is null)
        {
            yield return $"{Names.SamplerArg}: '{arg}' is not a ratio from 0 to 1";
        }

        if (RecentTraces < 1 || SpansPerTrace < 1)
        {
            yield return "the recent-trace store needs room for at least one trace of one span";
        }
    }

    /// <summary>The ratio of a <c>traceidratio</c> sampler: <see cref="SamplerArg"/>, 1 when unset; null when it is not a number from 0 to 1.</summary>
    public double? Ratio() =>
        SamplerArg is null ? 1
        : double.TryParse(SamplerArg, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var ratio) && ratio is >= 0 and <= 1 ? ratio
        : null;

    private static bool IsOtlp(string exporter) => exporter.Split(',', StringSplitOptions.TrimEntries).Contains("otlp", StringComparer.Ordinal);

    private static string? Value(IConfiguration configuration, string name) => configuration[name] is { Length: > 0 } value ? value.Trim() : null;
}
