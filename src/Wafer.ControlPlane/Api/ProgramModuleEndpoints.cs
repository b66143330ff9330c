using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wafer.ControlPlane.SilverLine;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// <c>POST /api/modules</c> and <c>DELETE /api/modules/{uuid}</c>: SilverLine modules over REST, with the fields and
/// rules of its MQTT requests (the body is a request's <c>data</c>; docs/silverline.md).
/// </summary>
internal static class ProgramModuleEndpoints
{
    public static IEndpointRouteBuilder MapProgramModules(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/modules").WithTags("modules").AddEndpointFilter<ControlTokenFilter>();
        group.MapPost("/", async (HttpRequest request, ProgramModules modules, CancellationToken cancellationToken) =>
            {
                if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
                {
                    return ApiProblems.UnsupportedMediaType($"send the module as application/json, not {DeploymentRequestReader.Describe(request.ContentType)}");
                }

                ModuleRequest input;
                try
                {
                    using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                    input = ModuleRequestReader.Read(document.RootElement);
                }
                catch (JsonException ex)
                {
                    return ApiProblems.BadRequest($"Invalid JSON: {ex.Message}");
                }
                catch (ModuleRefusedException ex)
                {
                    return Problem(ex.Refusal);
                }

                var (created, refusal) = await modules.CreateAsync(input, cancellationToken);
                return refusal is not null ? Problem(refusal) : Results.Created($"/api/modules/{created!.Name}", ProgramView.Of(created));
            })
            .WithName("CreateModule").WithSummary("Create a module: a command program run on the fleet (SilverLine's create request's data)")
            .Produces<ProgramView>(StatusCodes.Status201Created).ProducesProblem(400).ProducesProblem(401).ProducesProblem(409).ProducesProblem(415);

        group.MapDelete("/{id}", async (ProgramModules modules, string id, CancellationToken cancellationToken) =>
                await modules.DeleteAsync(id, cancellationToken) is { } refusal ? Problem(refusal) : Results.Ok(new ModuleDeletedView(id, true)))
            .WithName("DeleteModule").WithSummary("Delete a module: it stops on its runtime")
            .Produces<ModuleDeletedView>().ProducesProblem(401).ProducesProblem(404).ProducesProblem(409);
        return endpoints;
    }

    private static IResult Problem(ModuleRefusal refusal) => refusal.Kind switch
    {
        ModuleRefusalKind.NotFound => ApiProblems.NotFound(refusal.ToString()),
        ModuleRefusalKind.Conflict => ApiProblems.Conflict(refusal.ToString()),
        ModuleRefusalKind.Unavailable => ApiProblems.Unavailable(refusal.ToString()),
        _ => ApiProblems.BadRequest(refusal.ToString()),
    };
}

/// <summary>The answer to <c>DELETE /api/modules/{uuid}</c>: the module is being stopped on its runtime.</summary>
internal sealed record ModuleDeletedView(
    [property: System.Text.Json.Serialization.JsonPropertyName("uuid")] string Uuid,
    [property: System.Text.Json.Serialization.JsonPropertyName("deleted")] bool Deleted);
