using System.Collections.Frozen;

namespace Wafer.Protocol.Manifest;

/// <summary>
/// The one rule by which a request path finds handler routes (manifest <c>routes</c>), on a runtime and on a gateway
/// alike: exact routes first, then <c>/...</c> routes whose base path holds the path, the longest base first. Immutable.
/// </summary>
/// <typeparam name="T">What a route leads to (a plugin's route on a runtime, a deployment on a gateway).</typeparam>
public sealed class RouteMatcher<T>
{
    private readonly Func<T, PluginRoute> _route;
    private readonly FrozenDictionary<string, T[]> _exact;
    private readonly T[] _prefixes;

    /// <param name="items">Every route with what it leads to; among exact routes of one path their order is kept.</param>
    /// <param name="route">The route of an item.</param>
    /// <param name="tieBreak">Orders <c>/...</c> routes of equally long base paths.</param>
    public RouteMatcher(IEnumerable<T> items, Func<T, PluginRoute> route, Func<T, string> tieBreak)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(tieBreak);
        _route = route;
        var all = items.ToArray();
        _exact = all.Where(r => !route(r).IsPrefix)
            .GroupBy(r => route(r).Path, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _prefixes = [.. all.Where(r => route(r).IsPrefix).OrderByDescending(r => route(r).BasePath.Length).ThenBy(tieBreak, StringComparer.Ordinal)];
    }

    public bool IsEmpty => _exact.Count == 0 && _prefixes.Length == 0;

    /// <summary>True when some route covers <paramref name="path"/>, whatever the method.</summary>
    public bool Covers(string path) => _exact.ContainsKey(path) || Array.Exists(_prefixes, r => Under(path, _route(r).BasePath));

    /// <summary>The routes covering <paramref name="path"/>, in order of precedence.</summary>
    public IEnumerable<T> Candidates(string path)
    {
        if (_exact.TryGetValue(path, out var exact))
        {
            foreach (var item in exact)
            {
                yield return item;
            }
        }

        foreach (var item in _prefixes)
        {
            if (Under(path, _route(item).BasePath))
            {
                yield return item;
            }
        }
    }

    private static bool Under(string path, string basePath) =>
        basePath == "/"
        || (path.StartsWith(basePath, StringComparison.Ordinal) && (path.Length == basePath.Length || path[basePath.Length] == '/'));
}
