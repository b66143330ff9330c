using Microsoft.Extensions.Hosting;
using Wafer.ControlPlane.Scheduling;
using Wafer.Gateway.Routes;

namespace Wafer.ControlPlane.Gateway;

/// <summary>
/// Feeds the orchestrator's own gateway (and <c>GET /api/routes</c>) from the fleet: on every published fleet
/// snapshot the routes are rebuilt and published when they differ. Keepalives change the fleet often and the routes
/// rarely, so the comparison keeps route versions (and the gateway's GraphQL schema) stable.
/// </summary>
public sealed class FleetRoutePublisher(FleetView view, FleetRouteBuilder builder, RouteState routes) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        byte[]? published = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = view.Changed;
            var document = builder.Build(view.Current);
            var content = RouteContent(document);
            if (published is null || !content.AsSpan().SequenceEqual(published))
            {
                routes.Publish(document);
                published = content;
            }

            await changed.WaitAsync(stoppingToken);
        }
    }

    private static byte[] RouteContent(RouteDocument document) =>
        System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(document.Deployments, RouteJson.Options);
}
