using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Agent;
using Wafer.Runtime.Hosting;

namespace Wafer.Runtime.Http;

/// <summary><c>GET /api/info</c>: what answers here, so a client (the CLI) knows whether it talks to a runtime or an orchestrator.</summary>
internal static class InfoEndpoint
{
    public static string Version { get; } =
        typeof(InfoEndpoint).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static IEndpointRouteBuilder MapWaferInfo(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/info", (RuntimeAgent agent, IOptions<RuntimeOptions> options) => Results.Json(new
        {
            kind = "runtime",
            version = Version,
            name = agent.Name,
            id = agent.RuntimeId,
            joined = options.Value.Agent.Join is not null,
            controlNeedsToken = !string.IsNullOrEmpty(options.Value.ApiToken),
            environment = options.Value.EnvironmentName,
        }));
        return endpoints;
    }
}
