using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wafer.ControlPlane.Fleet;
using Wafer.ControlPlane.Scheduling;

namespace Wafer.ControlPlane.Api;

/// <summary><c>/api/deployments</c>: deploy, list, details, stop and logs (RunYourOwn-FaaS's client interface).</summary>
internal static class DeploymentEndpoints
{
    public static IEndpointRouteBuilder MapDeployments(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/deployments").WithTags("deployments");
        group.MapPost("/", DeployHandler.HandleAsync)
            .AddEndpointFilter<ControlTokenFilter>()
            .WithName("Deploy")
            .WithSummary("Create or update a deployment: a plugin (inline or by artifact hash), a replica count and label constraints")
            .DescribesBody<DeploymentRequest>("application/json", "multipart/form-data")
            .Produces<DeploymentView>(StatusCodes.Status201Created).Produces<DeploymentView>()
            .ProducesProblem(400).ProducesProblem(401).ProducesProblem(409).ProducesProblem(413).ProducesProblem(415).ProducesProblem(503).ProducesProblem(507);

        group.MapGet("/", (HttpContext context, FleetView view, FleetLists lists) =>
                SerializedList.Write(context, lists.Deployments(view.Current, ControlAccess.HoldsToken(context))))
            .WithName("ListDeployments").WithSummary("Every deployment with its status").Produces<DeploymentList>();

        group.MapGet("/{name}", (HttpContext context, FleetView view, IOrchestratorAddress address, string name) =>
            {
                var fleet = view.Current;
                return fleet.Deployments.TryGetValue(name, out var deployment)
                    ? Results.Ok(FleetViews.Deployment(fleet, deployment, ControlAccess.HoldsToken(context) ? address.BaseUrl : null, FleetIndex.Of(fleet).ModulesOf(name)))
                    : ApiProblems.NotFound($"no deployment named '{name}'");
            })
            .WithName("GetDeployment").WithSummary("One deployment: status, reason and modules").Produces<DeploymentView>().ProducesProblem(404);

        group.MapDelete("/{name}", async (IFleetEvents events, string name, CancellationToken cancellationToken) =>
            {
                var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                await events.PostAsync(new RemoveDeployment(name, done), cancellationToken);
                return await done.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken)
                    ? Results.Ok(new StoppedView(name, true))
                    : ApiProblems.NotFound($"no deployment named '{name}'");
            })
            .AddEndpointFilter<ControlTokenFilter>()
            .WithName("StopDeployment").WithSummary("Stop a deployment: its modules are deleted from their runtimes")
            .Produces<StoppedView>().ProducesProblem(401).ProducesProblem(404);

        group.MapGet("/{name}/logs", async (
                HttpContext context, FleetView view, RuntimeLogs logs, string name, string? function, DateTimeOffset? since, int? limit, CancellationToken cancellationToken) =>
            {
                if (limit is < 1 or > 1000)
                {
                    return ApiProblems.BadRequest("limit must be between 1 and 1000");
                }

                var fleet = view.Current;
                if (!fleet.Deployments.TryGetValue(name, out var deployment))
                {
                    return ApiProblems.NotFound($"no deployment named '{name}'");
                }

                var found = await logs.FetchAsync(fleet, deployment, function, since, limit ?? 200, cancellationToken);
                return Results.Ok(ControlAccess.HoldsToken(context)
                    ? found
                    : found with { Errors = [.. found.Errors.Select(e => e with { Reason = ControlAccess.HideAddresses(e.Reason)! })] });
            })
            .WithName("DeploymentLogs")
            .WithSummary("Guest log lines of a deployment, fetched from the runtimes hosting it (filter with ?function=, ?since=, ?limit=)")
            .Produces<DeploymentLogs>().ProducesProblem(400).ProducesProblem(404);
        return endpoints;
    }

    /// <summary>Every deployment with its status, by name.</summary>
    public static DeploymentList List(FleetSnapshot fleet, string? baseUrl)
    {
        var index = FleetIndex.Of(fleet);
        var deployments = fleet.Deployments.Values.OrderBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => FleetViews.Deployment(fleet, d, baseUrl, index.ModulesOf(d.Name))).ToList();
        return new DeploymentList(deployments.Count, deployments);
    }
}
