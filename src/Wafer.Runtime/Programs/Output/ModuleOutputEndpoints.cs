using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wafer.Hosting.Http;

namespace Wafer.Runtime.Programs.Output;

/// <summary><c>GET /api/modules/{uuid}/output</c>: the tail of a program module's stdout and stderr, while it runs and after.</summary>
internal static class ModuleOutputEndpoints
{
    public static IEndpointRouteBuilder MapWaferModuleOutput(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/modules/{uuid}/output", (string uuid, ModuleOutputs outputs) =>
        {
            if (outputs.Find(uuid) is not { } output)
            {
                return Problems.NotFound($"no program module '{uuid}' runs or ran here");
            }

            var (stdout, stdoutTruncated, stdoutBytes) = output.Stdout.Read();
            var (stderr, stderrTruncated, stderrBytes) = output.Stderr.Read();
            return Results.Json(new
            {
                uuid, run = output.Run, running = output.Running,
                stdout, stderr, stdoutTruncated, stderrTruncated, stdoutBytes, stderrBytes,
            });
        });
        return endpoints;
    }
}
