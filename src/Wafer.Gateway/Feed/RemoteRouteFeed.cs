using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Gateway.Hosting;
using Wafer.Gateway.Routes;
using Wafer.Protocol.Routes;

namespace Wafer.Gateway.Feed;

/// <summary>
/// Feeds a standalone gateway: long-polls the orchestrator's <c>GET /api/routes?after=VERSION</c>, which answers as
/// soon as the routes differ from that version (or after a while with the same ones). While the orchestrator is
/// unreachable the last routes keep serving, and health checks keep steering calls away from dead runtimes.
/// </summary>
internal sealed partial class RemoteRouteFeed(RouteState routes, IOptions<GatewayOptions> options, ILogger<RemoteRouteFeed> logger) : BackgroundService
{
    /// <summary>How long the orchestrator holds a poll with no change before answering with the same routes.</summary>
    public static readonly TimeSpan PollWait = TimeSpan.FromSeconds(30);

    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once the first routes arrived (readiness).</summary>
    public bool HasRoutes => _first.Task.IsCompleted;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var http = new HttpClient { BaseAddress = new Uri(settings.Orchestrator!.TrimEnd('/') + "/"), Timeout = PollWait + TimeSpan.FromSeconds(15) };
        if (settings.Token is { } token)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var version = -1L;
        var backoff = TimeSpan.FromMilliseconds(250);
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                using var response = await http.GetAsync($"api/routes?after={version}&wait={(int)PollWait.TotalSeconds}", stoppingToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw new HttpRequestException($"GET /api/routes answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(stoppingToken)}");
                }

                var document = await response.Content.ReadFromJsonAsync<RouteDocument>(RouteJson.Options, stoppingToken)
                    ?? throw new HttpRequestException("GET /api/routes answered null");
                if (document.Version != version || !_first.Task.IsCompleted)
                {
                    routes.Publish(document);
                    version = document.Version;
                    _first.TrySetResult();
                }

                if (failing)
                {
                    Recovered(logger, settings.Orchestrator!);
                    failing = false;
                }

                backoff = TimeSpan.FromMilliseconds(250);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException && !stoppingToken.IsCancellationRequested)
            {
                if (!failing)
                {
                    Unreachable(logger, settings.Orchestrator!, ex.Message);
                    failing = true;
                }

                await Task.Delay(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    [LoggerMessage(EventId = 6040, EventName = "GatewayFeedUnreachable", Level = LogLevel.Warning,
        Message = "Cannot read routes from the orchestrator at {Orchestrator}: {Reason}; serving the last routes, retrying")]
    private static partial void Unreachable(ILogger logger, string orchestrator, string reason);

    [LoggerMessage(EventId = 6041, EventName = "GatewayFeedRecovered", Level = LogLevel.Information,
        Message = "Reading routes from the orchestrator at {Orchestrator} again")]
    private static partial void Recovered(ILogger logger, string orchestrator);
}
