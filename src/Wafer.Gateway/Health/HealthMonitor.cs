using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Gateway.Forwarding;
using Wafer.Gateway.Hosting;

namespace Wafer.Gateway.Health;

/// <summary>
/// Active health of every destination in the routes. Every <see cref="GatewayOptions.ProbeInterval"/> each runtime's
/// <c>GET /healthz</c> is probed; <see cref="GatewayOptions.ProbeFailuresToDown"/> failures in a row take it out until a
/// probe succeeds (a runtime that vanished while its MQTT session still looks alive). Between those, a runtime that
/// has calls in flight and has answered none for <see cref="GatewayOptions.StallAfter"/> is probed at once, and if that
/// probe is not answered within <see cref="GatewayOptions.StallAfter"/> either, and no call was answered meanwhile, it
/// gets no new call until a probe or an answer comes back: a hung process (stopped, swapping, deadlocked) is routed around long before the orchestrator
/// misses its keepalives, while a runtime that is only running slow functions answers its probe and keeps its calls.
/// Calls already sent to it are left to finish or time out: they may be running.
/// A runtime that is down because nothing accepts connections at its URL is probed at doubling intervals from there,
/// up to <see cref="UnreachableProbeIntervalMax"/>: a failed connect costs the gateway far more than an answered probe
/// (an exception through the HTTP client's stack), and a fleet may keep such runtimes in its routes while their
/// control channel still looks alive. A runtime that answers, even with an error, keeps the usual interval.
/// </summary>
internal sealed partial class HealthMonitor(
    DestinationRegistry destinations, RuntimeClient client, IOptions<GatewayOptions> options, TimeProvider time, ILogger<HealthMonitor> logger) : BackgroundService
{
    /// <summary>The longest wait between probes of a runtime that refuses connections (or the interval, if longer).</summary>
    public static readonly TimeSpan UnreachableProbeIntervalMax = TimeSpan.FromSeconds(30);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(ProbeEveryIntervalAsync(stoppingToken), WatchForStallsAsync(stoppingToken));

    private async Task ProbeEveryIntervalAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var timer = new PeriodicTimer(settings.ProbeInterval, time);
        // a tick a little early still counts: a postponed probe is due on the tick nearest its time
        var slack = settings.ProbeInterval.Ms() / 2;
        while (await WaitAsync(timer, stoppingToken))
        {
            var probes = new List<Task>();
            var now = time.NowMs();
            foreach (var destination in destinations.All)
            {
                if (destination.ProbeDue(now + slack) && destination.TryBeginProbe())
                {
                    probes.Add(ProbeAsync(destination, settings.ProbeTimeout, stall: false, stoppingToken));
                }
            }

            await Task.WhenAll(probes);
        }
    }

    private async Task WatchForStallsAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var stallAfter = settings.StallAfter.Ms();
        using var timer = new PeriodicTimer(settings.StallAfter / 4, time);
        while (await WaitAsync(timer, stoppingToken))
        {
            var now = time.NowMs();
            foreach (var destination in destinations.All)
            {
                if (!destination.IsStalled && destination.SilentFor(now) >= stallAfter && destination.TryBeginProbe())
                {
                    Silent(logger, destination.RuntimeName, destination.InFlight, destination.SilentFor(now));
                    _ = ProbeAsync(destination, settings.StallAfter, stall: true, stoppingToken); // the others are checked meanwhile
                }
            }
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task ProbeAsync(Destination destination, TimeSpan timeout, bool stall, CancellationToken stoppingToken)
    {
        var probedAt = time.NowMs();
        using var deadline = new CancellationTokenSource(timeout, time);
        using var stopping = stoppingToken.UnsafeRegister(static d => ((CancellationTokenSource)d!).Cancel(), deadline);
        bool ok;
        var unreachable = false;
        try
        {
            using var response = await client.Http.GetAsync(destination.Prefix + "/healthz", deadline.Token);
            ok = response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException or InvalidOperationException)
        {
            ok = false;
            unreachable = e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError };
        }

        if (stoppingToken.IsCancellationRequested)
        {
            destination.ProbeAbandoned();
            return;
        }

        if (ok)
        {
            if (destination.ProbeSucceeded(time.NowMs()))
            {
                Recovered(logger, destination.RuntimeName, destination.Prefix);
            }
        }
        else if (stall ? destination.Stall(probedAt) : Failed(destination, probedAt, unreachable))
        {
            if (stall)
            {
                Stalled(logger, destination.RuntimeName, destination.Prefix, destination.InFlight, timeout.TotalMilliseconds);
            }
            else
            {
                ProbeDown(logger, destination.RuntimeName, destination.Prefix);
            }
        }
    }

    /// <summary>Counts a failed periodic probe; true when that took the runtime down.</summary>
    private bool Failed(Destination destination, long probedAt, bool unreachable)
    {
        var settings = options.Value;
        var wentDown = destination.ProbeFailed(settings.ProbeFailuresToDown);
        var beyond = destination.ProbeFailures - settings.ProbeFailuresToDown;
        if (unreachable && beyond >= 0)
        {
            // down and still refusing: 2, 4, 8... intervals until the next probe, at most UnreachableProbeIntervalMax
            var most = Math.Max(settings.ProbeInterval.Ms(), UnreachableProbeIntervalMax.Ms());
            destination.PostponeProbes(probedAt + Math.Min(most, settings.ProbeInterval.Ms() << Math.Min(beyond + 1, 20)));
        }
        else
        {
            destination.PostponeProbes(0);
        }

        return wentDown;
    }

    [LoggerMessage(EventId = 6030, EventName = "GatewayProbeDown", Level = LogLevel.Warning,
        Message = "Runtime {Runtime} ({Url}) failed its health probes; no calls go to it until one succeeds")]
    private static partial void ProbeDown(ILogger logger, string runtime, string url);

    [LoggerMessage(EventId = 6031, EventName = "GatewayRuntimeStalled", Level = LogLevel.Warning,
        Message = "Runtime {Runtime} ({Url}) answers neither its {InFlight} call(s) in flight nor a probe within {TimeoutMs} ms; no new calls go to it until it answers")]
    private static partial void Stalled(ILogger logger, string runtime, string url, int inFlight, double timeoutMs);

    [LoggerMessage(EventId = 6032, EventName = "GatewayRuntimeRecovered", Level = LogLevel.Information,
        Message = "Runtime {Runtime} ({Url}) answered its probe; calls go to it again")]
    private static partial void Recovered(ILogger logger, string runtime, string url);

    [LoggerMessage(EventId = 6033, EventName = "GatewayRuntimeSilent", Level = LogLevel.Debug,
        Message = "Runtime {Runtime} has {InFlight} call(s) in flight and answered none for {SilentMs} ms; probing it")]
    private static partial void Silent(ILogger logger, string runtime, int inFlight, long silentMs);
}
