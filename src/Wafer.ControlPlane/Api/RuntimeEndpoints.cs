using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wafer.ControlPlane.Fleet;
using Wafer.ControlPlane.Scheduling;

namespace Wafer.ControlPlane.Api;

/// <summary><c>/api/runtimes</c>: list, details and drain.</summary>
internal static class RuntimeEndpoints
{
    public static IEndpointRouteBuilder MapRuntimes(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/runtimes").WithTags("runtimes");
        group.MapGet("/", (HttpContext context, FleetView view, FleetLists lists, bool? alive) =>
            {
                var addresses = ControlAccess.HoldsToken(context);
                var fleet = view.Current;
                if (alive is null)
                {
                    return SerializedList.Write(context, lists.Runtimes(fleet, addresses));
                }

                var index = FleetIndex.Of(fleet);
                var runtimes = fleet.Runtimes.Values
                    .Where(r => alive is null || r.Alive == alive)
                    .OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal)
                    .Select(r => FleetViews.Runtime(fleet, r, index.ModulesOn(r.Id), addresses))
                    .ToList();
                return Results.Ok(new RuntimeList(runtimes.Count, runtimes));
            })
            .WithName("ListRuntimes").WithSummary("Every runtime the orchestrator knows, alive or not (filter with ?alive=true); URLs only with the token")
            .Produces<RuntimeList>().ProducesProblem(400);

        group.MapGet("/{id}", (HttpContext context, FleetView view, string id) =>
            {
                var fleet = view.Current;
                return Find(fleet, id) is { } runtime
                    ? Results.Ok(FleetViews.Runtime(fleet, runtime, FleetIndex.Of(fleet).ModulesOn(runtime.Id), ControlAccess.HoldsToken(context)))
                    : ApiProblems.NotFound($"no runtime with id or name '{id}'");
            })
            .WithName("GetRuntime").WithSummary("One runtime, by id or by name").Produces<RuntimeView>().ProducesProblem(404);

        group.MapPost("/{id}/drain", async (FleetView view, IFleetEvents events, string id, CancellationToken cancellationToken) =>
            {
                if (Find(view.Current, id) is not { } runtime)
                {
                    return ApiProblems.NotFound($"no runtime with id or name '{id}'");
                }

                var done = new TaskCompletionSource<DrainOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
                await events.PostAsync(new DrainRuntime(runtime.Id, done), cancellationToken);
                var outcome = await done.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
                var fleet = view.Current;
                return outcome switch
                {
                    DrainOutcome.NotFound => ApiProblems.NotFound($"no runtime with id '{runtime.Id}'"),
                    DrainOutcome.Offline => ApiProblems.Conflict($"runtime {runtime.Name} ({runtime.Id}) is offline; there is nothing to drain"),
                    _ => Results.Accepted($"/api/runtimes/{runtime.Id}",
                        FleetViews.Runtime(fleet, fleet.Runtimes.GetValueOrDefault(runtime.Id) ?? runtime, null, addresses: true)), // the token was checked
                };
            })
            .AddEndpointFilter<ControlTokenFilter>()
            .WithName("DrainRuntime")
            .WithSummary("Drain a runtime: it gets nothing new, its modules move elsewhere, then it is granted shutdown")
            .Produces<RuntimeView>(StatusCodes.Status202Accepted).ProducesProblem(401).ProducesProblem(404).ProducesProblem(409);
        return endpoints;
    }

    /// <summary>By id, then by name (an alive runtime first), as SilverLine looks runtimes up.</summary>
    public static RuntimeNode? Find(FleetSnapshot fleet, string idOrName) =>
        fleet.Runtimes.GetValueOrDefault(idOrName)
        ?? fleet.Runtimes.Values.Where(r => r.Name == idOrName).OrderByDescending(r => r.Alive).ThenByDescending(r => r.LastSeen).FirstOrDefault();
}
