using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wafer.Hosting.Http;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// <c>GET /api/events[?after=ID][&amp;limit=N]</c>: the fleet's recent events (<see cref="FleetEventLog"/>), oldest first,
/// with <c>last</c>, the id to ask after next. A read like every <c>GET /api/…</c>: the addresses events name are shown
/// only to holders of the token.
/// </summary>
internal static class EventEndpoints
{
    public const int DefaultLimit = 100;

    public static IEndpointRouteBuilder MapEvents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/events", (HttpContext context, FleetEventLog log, long? after, int? limit) =>
            {
                if (after < 0 || limit is < 1 or > FleetEventLog.Capacity)
                {
                    return Problems.BadRequest($"'after' must be an event id (0 or more) and 'limit' from 1 to {FleetEventLog.Capacity}");
                }

                var last = log.Last; // read first: an event logged meanwhile is read next time, never skipped
                var events = log.Read(after, limit ?? DefaultLimit).Where(e => e.Id <= last);
                var addresses = ControlAccess.HoldsToken(context);
                return Results.Ok(new EventList(last, (addresses ? events : events.Select(WithoutAddresses)).ToList()));
            })
            .WithTags("events").WithName("Events").WithSummary("The fleet's recent events, oldest first")
            .Produces<EventList>();
        return endpoints;
    }

    private static FleetEvent WithoutAddresses(FleetEvent e) => e with
    {
        Message = AddressText.Hide(e.Message),
        Fields = e.Fields.ToDictionary(f => f.Key, f => f.Value is null ? null : AddressText.Hide(f.Value), StringComparer.Ordinal),
    };

    /// <summary>The answer: the newest event's id, and the events asked for.</summary>
    public sealed record EventList(long Last, IReadOnlyList<FleetEvent> Events);
}
