using Wafer.Protocol.Manifest;

namespace Wafer.Runtime.Catalog;

/// <summary>
/// The HTTP handler routes of a catalog snapshot (manifest <c>routes</c> of command plugins), immutable, matched by
/// <see cref="RouteMatcher{T}"/>; among the routes covering a path (different plugins may split the methods of one
/// path), the first that allows the method wins.
/// </summary>
public sealed class RouteTable
{
    public static readonly RouteTable Empty = new([]);

    private readonly RouteMatcher<HandlerRoute> _matcher;

    public RouteTable(IEnumerable<LoadedPlugin> plugins)
    {
        var all = plugins
            .Where(p => p.Command is not null)
            .SelectMany(p => p.Manifest.Routes.Select(r => new HandlerRoute(p, r)))
            .ToArray();
        All = all;
        _matcher = new RouteMatcher<HandlerRoute>(all, r => r.Route, r => r.Route.Path);
    }

    /// <summary>Every route, in plugin order.</summary>
    public IReadOnlyList<HandlerRoute> All { get; }

    /// <summary>True when some route covers <paramref name="path"/>, whatever the method.</summary>
    public bool Covers(string path) => _matcher.Covers(path);

    /// <summary>
    /// The route serving <paramref name="method"/> <paramref name="path"/>, or null; <paramref name="allowed"/> lists
    /// the methods the covering routes accept (empty when a route accepts any), for a 405 answer.
    /// </summary>
    public HandlerRoute? Match(string path, string method, out IReadOnlyList<string> allowed)
    {
        var methods = new List<string>();
        foreach (var candidate in _matcher.Candidates(path))
        {
            if (candidate.Route.Serves(method))
            {
                allowed = [];
                return candidate;
            }

            methods.AddRange(candidate.Route.Methods);
        }

        allowed = methods.Distinct(StringComparer.Ordinal).ToArray();
        return null;
    }

    /// <summary>
    /// Why <paramref name="plugin"/>'s routes cannot join this table (a route of another plugin with the same path
    /// and a method in common), or null when they can.
    /// </summary>
    public string? FindConflict(LoadedPlugin plugin)
    {
        foreach (var route in plugin.Manifest.Routes)
        {
            foreach (var existing in All)
            {
                if (existing.Plugin.Name != plugin.Name && existing.Route.Overlaps(route))
                {
                    return $"route '{route}' conflicts with '{existing.Route}' of plugin '{existing.Plugin.Name}'";
                }
            }
        }

        return null;
    }
}

/// <summary>One route of one command plugin version.</summary>
public sealed record HandlerRoute(LoadedPlugin Plugin, PluginRoute Route);
