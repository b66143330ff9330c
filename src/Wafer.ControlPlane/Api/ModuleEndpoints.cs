using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wafer.ControlPlane.Fleet;
using Wafer.ControlPlane.Scheduling;

namespace Wafer.ControlPlane.Api;

/// <summary><c>/api/modules</c>: every placed module and one by id.</summary>
internal static class ModuleEndpoints
{
    public static IEndpointRouteBuilder MapModules(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/modules").WithTags("modules");
        group.MapGet("/", (HttpContext context, FleetView view, IOrchestratorAddress address, FleetLists lists, string? deployment, string? runtime) =>
            {
                var fleet = view.Current;
                var addresses = ControlAccess.HoldsToken(context);
                if (deployment is null && runtime is null)
                {
                    return SerializedList.Write(context, lists.Modules(fleet, addresses));
                }

                // ?runtime= takes a runtime's id or its name (every runtime of that name, as a restarted one gets a new id)
                var runtimeIds = runtime is null ? null
                    : fleet.Runtimes.Values.Where(r => r.Id == runtime || r.Name == runtime).Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
                if (runtimeIds is { Count: 0 })
                {
                    return ApiProblems.BadRequest($"no runtime with id or name '{runtime}': ?runtime= takes a runtime's id or name (GET /api/runtimes lists them)");
                }

                return Results.Ok(List(fleet, addresses ? address.BaseUrl : null, deployment, runtimeIds));
            })
            .WithName("ListModules").WithSummary("Every placed module (filter with ?deployment= and ?runtime=, a runtime's id or name)")
            .Produces<ModuleList>().ProducesProblem(400);

        group.MapGet("/{id}", (HttpContext context, FleetView view, IOrchestratorAddress address, string id) =>
            {
                var fleet = view.Current;
                var baseUrl = ControlAccess.HoldsToken(context) ? address.BaseUrl : null;
                return fleet.Modules.TryGetValue(id, out var module) ? Results.Ok(FleetViews.Module(fleet, module, baseUrl))
                    : fleet.Deployments.TryGetValue(id, out var program) && program.Program is not null ? Results.Ok(FleetViews.Unplaced(fleet, program, baseUrl))
                    : ApiProblems.NotFound($"no module with id '{id}'");
            })
            .WithName("GetModule").WithSummary("One module by id").Produces<ModuleView>().ProducesProblem(404);
        return endpoints;
    }

    /// <summary>The modules (of <paramref name="deployment"/>, on <paramref name="runtimeIds"/>, when given), placed ones first.</summary>
    public static ModuleList List(FleetSnapshot fleet, string? baseUrl, string? deployment, IReadOnlySet<string>? runtimeIds)
    {
        var modules = (deployment is null ? fleet.Modules.Values : FleetIndex.Of(fleet).ModulesOf(deployment))
            .Where(m => runtimeIds is null || runtimeIds.Contains(m.RuntimeId))
            .OrderBy(m => m.Deployment, StringComparer.Ordinal).ThenBy(m => m.CreatedAt).ThenBy(m => m.Id, StringComparer.Ordinal)
            .Select(m => FleetViews.Module(fleet, m, baseUrl))
            .Concat(runtimeIds is null
                ? FleetViews.ProgramsWithoutModule(fleet).Where(d => deployment is null || d.Name == deployment)
                    .OrderBy(d => d.Name, StringComparer.Ordinal).Select(d => FleetViews.Unplaced(fleet, d, baseUrl))
                : [])
            .ToList();
        return new ModuleList(modules.Count, modules);
    }
}
