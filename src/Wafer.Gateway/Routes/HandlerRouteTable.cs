using System.Collections.Frozen;
using Wafer.Protocol.Manifest;

namespace Wafer.Gateway.Routes;

/// <summary>
/// Handler routes of every deployment, matched like the runtime does: an exact route wins over a <c>/...</c> route,
/// and among those the longest wins. Methods are left to the runtime (it answers 405 with <c>Allow</c>), except that
/// a route accepting the method is preferred when several deployments cover the path.
/// </summary>
public sealed class HandlerRouteTable
{
    public static readonly HandlerRouteTable Empty = new([]);

    private readonly FrozenDictionary<string, (PluginRoute Route, DeploymentTarget Target)[]> _exact;
    private readonly (PluginRoute Route, DeploymentTarget Target)[] _prefixes;

    public HandlerRouteTable(IEnumerable<(PluginRoute Route, DeploymentTarget Target)> routes)
    {
        var all = routes.ToArray();
        _exact = all.Where(r => !r.Route.IsPrefix)
            .GroupBy(r => r.Route.Path, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _prefixes = [.. all.Where(r => r.Route.IsPrefix).OrderByDescending(r => r.Route.BasePath.Length).ThenBy(r => r.Target.Name, StringComparer.Ordinal)];
    }

    public bool IsEmpty => _exact.Count == 0 && _prefixes.Length == 0;

    /// <summary>The deployment serving <paramref name="path"/>, or null when no route covers it.</summary>
    public DeploymentTarget? Match(string path, string method)
    {
        DeploymentTarget? covering = null;
        if (_exact.TryGetValue(path, out var exact))
        {
            foreach (var (route, target) in exact)
            {
                if (Allows(route, method))
                {
                    return target;
                }

                covering ??= target;
            }
        }

        foreach (var (route, target) in _prefixes)
        {
            if (Under(path, route.BasePath))
            {
                if (Allows(route, method))
                {
                    return covering ?? target;
                }

                covering ??= target;
            }
        }

        return covering;
    }

    private static bool Allows(PluginRoute route, string method) =>
        route.AllowsMethod(method) || (method == "HEAD" && route.AllowsMethod("GET"));

    private static bool Under(string path, string basePath) =>
        basePath == "/"
        || (path.StartsWith(basePath, StringComparison.Ordinal) && (path.Length == basePath.Length || path[basePath.Length] == '/'));
}
