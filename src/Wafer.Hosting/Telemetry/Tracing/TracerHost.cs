using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Wafer.Hosting.Telemetry.Tracing;

/// <summary>
/// Starts recording the server's spans when tracing is on (<see cref="TracingOptions.Enabled"/>): a tracer provider
/// listening to the server's activity sources, sampling as <c>OTEL_TRACES_SAMPLER</c> says, keeping spans in
/// <see cref="RecentTraces"/> and exporting them over OTLP when an exporter is set. When tracing is off it builds nothing,
/// so no listener is attached and the sources hand out no span. The provider is flushed and disposed when the server stops.
/// </summary>
internal sealed partial class TracerHost(
    IOptions<TracingOptions> options, IEnumerable<TracedSource> sources, TracedService service, RecentTraces store, ILogger<TracerHost> logger)
    : IHostedService, IDisposable
{
    private TracerProvider? _provider;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return Task.CompletedTask;
        }

        var serviceName = settings.ServiceName ?? service.Name;
        var names = sources.Select(s => s.Name).Distinct(StringComparer.Ordinal).ToArray();
        var builder = Sdk.CreateTracerProviderBuilder()
            .AddSource(names)
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(serviceName))
            .SetSampler(SamplerOf(settings))
            .AddProcessor(new RecentTracesProcessor(store, serviceName));
        if (settings.Exports)
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
            TracingExported(logger, serviceName, endpoint.ToString(), settings.Protocol, settings.Sampler);
        }
        else
        {
            TracingKeptOnly(logger, serviceName, settings.Sampler);
        }

        _provider = builder.Build();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _provider?.ForceFlush(5000);
        return Task.CompletedTask;
    }

    public void Dispose() => _provider?.Dispose();

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

    [LoggerMessage(EventId = 4100, EventName = "TracingExported", Level = LogLevel.Information,
        Message = "Tracing is on: {Service}'s spans go to {Endpoint} ({Protocol}), sampled {Sampler}, and the recent ones to /api/traces")]
    private static partial void TracingExported(ILogger logger, string service, string endpoint, string protocol, string sampler);

    [LoggerMessage(EventId = 4101, EventName = "TracingKeptOnly", Level = LogLevel.Information,
        Message = "Tracing is on without an exporter: {Service}'s recent spans are kept for /api/traces, sampled {Sampler}")]
    private static partial void TracingKeptOnly(ILogger logger, string service, string sampler);
}

/// <summary>An activity source a server's tracer listens to when tracing is on.</summary>
internal sealed record TracedSource(string Name);

/// <summary>The service name a server's spans carry when <c>OTEL_SERVICE_NAME</c> is unset.</summary>
internal sealed record TracedService(string Name);
