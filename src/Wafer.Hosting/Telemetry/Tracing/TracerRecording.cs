using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Wafer.Hosting.Telemetry.Tracing;

/// <summary>
/// A running tracer provider: the server's activity sources recorded, sampled as <c>OTEL_TRACES_SAMPLER</c> says, kept
/// in <see cref="RecentTraces"/> and exported over OTLP when an exporter is set. Only this class (and the processor it
/// adds) names OpenTelemetry's types, so a server with tracing off never loads the SDK or its exporter.
/// </summary>
internal sealed class TracerRecording : IDisposable
{
    private readonly TracerProvider _provider;

    private TracerRecording(TracerProvider provider) => _provider = provider;

    public static TracerRecording Start(TracingOptions settings, string serviceName, string[] sources, RecentTraces store)
    {
        var builder = Sdk.CreateTracerProviderBuilder()
            .AddSource(sources)
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName))
            .SetSampler(SamplerOf(settings))
            .AddProcessor(new RecentTracesProcessor(store, serviceName));
        if (settings.Exports)
        {
            AddExporter(builder, settings);
        }

        return new TracerRecording(builder.Build());
    }

    public void Flush(int timeoutMilliseconds) => _provider.ForceFlush(timeoutMilliseconds);

    public void Dispose() => _provider.Dispose();

    private static void AddExporter(TracerProviderBuilder builder, TracingOptions settings)
    {
        var endpoint = settings.ExportEndpoint();
        builder.AddOtlpExporter(otlp =>
        {
            otlp.Endpoint = endpoint;
            otlp.Protocol = settings.Protocol == TracingOptions.GrpcProtocol ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
            if (settings.Headers is { } headers)
            {
                otlp.Headers = headers;
            }
        });
    }

    private static Sampler SamplerOf(TracingOptions settings)
    {
        var ratio = settings.Ratio() ?? 1;
        return settings.Sampler switch
        {
            "always_on" => new AlwaysOnSampler(),
            "always_off" => new AlwaysOffSampler(),
            "traceidratio" => new TraceIdRatioBasedSampler(ratio),
            "parentbased_always_off" => new ParentBasedSampler(new AlwaysOffSampler()),
            "parentbased_traceidratio" => new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio)),
            _ => new ParentBasedSampler(new AlwaysOnSampler()),
        };
    }
}
