using Microsoft.Extensions.Hosting;
using Wafer.ControlPlane.Fleet;
using Wafer.ControlPlane.Scheduling;
using Wafer.Gateway.Routes;
using Wafer.Protocol.Routes;

namespace Wafer.ControlPlane.Gateway;

/// <summary>
/// Feeds the orchestrator's own gateway (and <c>GET /api/routes</c>) from the fleet: on every published fleet
/// snapshot whose route inputs changed (<see cref="FleetRouteBuilder.SameInputs"/>), the routes are rebuilt and
/// published when they differ. Keepalives change the fleet often and the routes rarely: skipping them keeps the
/// orchestrator's CPU flat in a large fleet, and the comparison keeps route versions (and the gateway's GraphQL
/// schema) stable.
/// </summary>
internal sealed class FleetRoutePublisher(FleetView view, FleetRouteBuilder builder, RouteState routes) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        RouteDocument? published = null;
        FleetSnapshot? built = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            var changed = view.Changed;
            var fleet = view.Current;
            if (built is null || !FleetRouteBuilder.SameInputs(built, fleet))
            {
                var document = builder.Build(fleet);
                built = fleet;
                if (published is null || !FleetRouteBuilder.SameRoutes(published, document))
                {
                    routes.Publish(document);
                    published = document;
                }
            }

            await changed.WaitAsync(stoppingToken);
        }
    }
}
