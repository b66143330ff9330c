using Wafer.Protocol.Manifest;

namespace Wafer.Gateway.Routes;

/// <summary>
/// Handler routes of every deployment, matched like the runtime does (<see cref="RouteMatcher{T}"/>: an exact route
/// wins over a <c>/...</c> route, and among those the longest wins). Methods are left to the runtime (it answers 405
/// with <c>Allow</c>), except that a route accepting the method is preferred when several deployments cover the path.
/// </summary>
internal sealed class HandlerRouteTable
{
    public static readonly HandlerRouteTable Empty = new([]);

    private readonly RouteMatcher<(PluginRoute Route, DeploymentTarget Target)> _matcher;

    public HandlerRouteTable(IEnumerable<(PluginRoute Route, DeploymentTarget Target)> routes) =>
        _matcher = new(routes, r => r.Route, r => r.Target.Name);

    public bool IsEmpty => _matcher.IsEmpty;

    /// <summary>The deployment serving <paramref name="path"/>, or null when no route covers it.</summary>
    public DeploymentTarget? Match(string path, string method)
    {
        DeploymentTarget? covering = null;
        foreach (var (route, target) in _matcher.Candidates(path))
        {
            if (route.Serves(method))
            {
                // An exact route that serves the method wins; a /... one yields to any route before it that covers the path.
                return route.IsPrefix ? covering ?? target : target;
            }

            covering ??= target;
        }

        return covering;
    }
}
