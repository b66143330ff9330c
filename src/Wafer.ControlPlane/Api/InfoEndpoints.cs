using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Wafer.ControlPlane.Hosting;

namespace Wafer.ControlPlane.Api;

/// <summary><c>GET /api/info</c>: what answers here (<c>kind</c> <c>orchestrator</c>), so the CLI knows which API it talks to.</summary>
internal static class InfoEndpoints
{
    public static string Version { get; } =
        typeof(InfoEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IEndpointRouteBuilder MapInfo(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/info", (IOptions<OrchestratorOptions> options) =>
                Results.Ok(new InfoView("orchestrator", Version, null, !string.IsNullOrEmpty(options.Value.ApiToken))))
            .WithTags("info").WithName("Info").WithSummary("What answers here: kind, version, whether control operations need a token")
            .Produces<InfoView>();
        return endpoints;
    }
}
