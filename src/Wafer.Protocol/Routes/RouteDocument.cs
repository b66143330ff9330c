namespace Wafer.Protocol.Routes;

/// <summary>
/// What the gateway routes to, as the orchestrator publishes it (<c>GET /api/routes</c>): every deployment with a
/// running replica, the replicas' runtime URLs, its functions' metadata and its handler routes. Immutable; a new
/// fleet state is a new document with a new <see cref="Version"/>.
/// </summary>
public sealed record RouteDocument(long Version, IReadOnlyList<DeploymentRoutes> Deployments)
{
    public static RouteDocument Empty { get; } = new(0, []);
}
