using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wafer.ControlPlane.Scheduling;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// <c>GET /api/modules/{id}/output</c> on the orchestrator: the program module's kept output, asked of the runtime it
/// is placed on (which keeps it, docs/silverline.md "Output") and answered as that runtime answered. 404 for a module
/// that is not placed, 503 when its runtime is offline or does not answer in <see cref="Timeout"/>.
/// </summary>
internal static class ModuleOutputProxy
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapModuleOutput(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/modules/{id}/output", async (HttpContext context, FleetView view, IHttpClientFactory clients, string id) =>
            {
                var fleet = view.Current;
                if (!fleet.Modules.TryGetValue(id, out var module))
                {
                    return ApiProblems.NotFound($"no module with id '{id}' is placed on a runtime (an ended program's output is not kept)");
                }

                if (fleet.Runtimes.GetValueOrDefault(module.RuntimeId) is not { Alive: true, Url: { } url } runtime)
                {
                    return ApiProblems.Unavailable($"the runtime of module '{id}' is offline");
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
                timeout.CancelAfter(Timeout);
                try
                {
                    using var answer = await clients.CreateClient(RuntimeLogs.ClientName)
                        .GetAsync($"{url.TrimEnd('/')}/api/modules/{Uri.EscapeDataString(id)}/output", timeout.Token);
                    var body = await answer.Content.ReadAsStringAsync(timeout.Token);
                    return Results.Text(body, answer.Content.Headers.ContentType?.MediaType ?? "application/json", System.Text.Encoding.UTF8, (int)answer.StatusCode);
                }
                catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !context.RequestAborted.IsCancellationRequested)
                {
                    var reason = ControlAccess.HoldsToken(context) ? e.Message : ControlAccess.HideAddresses(e.Message);
                    return ApiProblems.Unavailable($"runtime {runtime.Name} did not answer for module '{id}': {reason}");
                }
            })
            .WithTags("modules").WithName("GetModuleOutput")
            .WithSummary("A program module's kept stdout and stderr, from the runtime it runs on").ProducesProblem(404).ProducesProblem(503);
        return endpoints;
    }
}
