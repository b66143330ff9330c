using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Wafer.Hosting.Telemetry.Tracing;

/// <summary>
/// Starts recording the server's spans when tracing is on (<see cref="TracingOptions.Enabled"/>): a
/// <see cref="TracerRecording"/> listening to the server's activity sources. When tracing is off it builds nothing, so
/// no listener is attached, the sources hand out no span and OpenTelemetry's assemblies are never loaded. The
/// recording is flushed and disposed when the server stops.
/// </summary>
internal sealed partial class TracerHost(
    IOptions<TracingOptions> options, IEnumerable<TracedSource> sources, TracedService service, RecentTraces store, ILogger<TracerHost> logger)
    : IHostedService, IDisposable
{
    private TracerRecording? _recording;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return Task.CompletedTask;
        }

        var serviceName = settings.ServiceName ?? service.Name;
        var names = sources.Select(s => s.Name).Distinct(StringComparer.Ordinal).ToArray();
        _recording = TracerRecording.Start(settings, serviceName, names, store);
        if (settings.Exports)
        {
            TracingExported(logger, serviceName, settings.ExportEndpoint().ToString(), settings.Protocol, settings.Sampler);
        }
        else
        {
            TracingKeptOnly(logger, serviceName, settings.Sampler);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _recording?.Flush(5000);
        return Task.CompletedTask;
    }

    public void Dispose() => _recording?.Dispose();

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
