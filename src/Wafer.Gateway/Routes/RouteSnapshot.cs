using System.Collections.Frozen;
using System.Collections.Immutable;
using Wafer.Protocol.Routes;

namespace Wafer.Gateway.Routes;

/// <summary>
/// Everything one request needs to pick its target, built once per <see cref="RouteDocument"/> and then only read:
/// deployments by name, plain function names that one deployment owns, names several export, handler routes.
/// </summary>
public sealed class RouteSnapshot
{
    public static readonly RouteSnapshot Empty = new(
        RouteDocument.Empty,
        FrozenDictionary<string, DeploymentTarget>.Empty,
        FrozenDictionary<string, DeploymentTarget>.Empty,
        FrozenDictionary<string, ImmutableArray<string>>.Empty,
        HandlerRouteTable.Empty);

    internal RouteSnapshot(
        RouteDocument document,
        FrozenDictionary<string, DeploymentTarget> deployments,
        FrozenDictionary<string, DeploymentTarget> functionOwners,
        FrozenDictionary<string, ImmutableArray<string>> ambiguous,
        HandlerRouteTable handlers)
    {
        Document = document;
        Deployments = deployments;
        FunctionOwners = functionOwners;
        Ambiguous = ambiguous;
        Handlers = handlers;
    }

    public long Version => Document.Version;

    /// <summary>The document this snapshot was built from (served again by <c>GET /api/routes</c>).</summary>
    public RouteDocument Document { get; }

    public FrozenDictionary<string, DeploymentTarget> Deployments { get; }

    /// <summary>Function name → the one deployment exporting it.</summary>
    public FrozenDictionary<string, DeploymentTarget> FunctionOwners { get; }

    /// <summary>Function name → the <c>deployment/function</c> addresses of every deployment exporting it.</summary>
    public FrozenDictionary<string, ImmutableArray<string>> Ambiguous { get; }

    internal HandlerRouteTable Handlers { get; }
}
