using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Gateway.Forwarding;
using Wafer.Gateway.Hosting;

namespace Wafer.Gateway.Health;

/// <summary>
/// Active health: probes <c>GET /healthz</c> of every destination in the routes, all at once, every
/// <see cref="GatewayOptions.ProbeInterval"/>. Catches a runtime that hangs or vanished while its MQTT session
/// still looks alive.
/// </summary>
public sealed partial class ActiveHealthProbe(
    DestinationRegistry destinations, RuntimeClient client, IOptions<GatewayOptions> options, ILogger<ActiveHealthProbe> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.ProbeInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await Task.WhenAll(destinations.All.ToArray().Select(d => ProbeAsync(d, settings.ProbeTimeout, stoppingToken)));
        }
    }

    private async Task ProbeAsync(Destination destination, TimeSpan timeout, CancellationToken stoppingToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(timeout);
        bool ok;
        try
        {
            using var response = await client.Http.GetAsync(destination.Prefix + "/healthz", deadline.Token);
            ok = response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !stoppingToken.IsCancellationRequested)
        {
            ok = false;
        }

        var wasHealthy = destination.IsHealthy(Environment.TickCount64);
        destination.ReportProbe(ok);
        if (wasHealthy && !destination.IsHealthy(Environment.TickCount64))
        {
            ProbeDown(logger, destination.RuntimeName, destination.Prefix);
        }
    }

    [LoggerMessage(EventId = 6030, EventName = "GatewayProbeDown", Level = LogLevel.Warning,
        Message = "Runtime {Runtime} ({Url}) failed its health probes; no calls go to it until one succeeds")]
    private static partial void ProbeDown(ILogger logger, string runtime, string url);
}
