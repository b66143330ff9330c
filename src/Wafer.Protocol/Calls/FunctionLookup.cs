namespace Wafer.Protocol.Calls;

/// <summary>
/// The one rule by which the path of a call (<c>/functions/NAME</c> or <c>/functions/PLUGIN/NAME</c>) finds its function,
/// on a runtime (over its catalog) and on a gateway (over its routes): a qualified name names one plugin's function; a
/// plain name finds the one plugin exporting it, and when several do, the answer lists the qualified paths to call.
/// </summary>
public static class FunctionLookup
{
    /// <typeparam name="T">What a name leads to (a runtime's function, a gateway's deployment).</typeparam>
    /// <typeparam name="TIndex">The names known (a struct, so the lookup costs no more than the index's own).</typeparam>
    public static FunctionLookupResult<T> Find<T, TIndex>(TIndex index, string? plugin, string name)
        where T : class
        where TIndex : struct, IFunctionIndex<T>
    {
        if (plugin is not null)
        {
            return index.Qualified(plugin, name, out var pluginKnown) is { } qualified
                ? new(qualified, null)
                : new(null, pluginKnown ? $"plugin '{plugin}' has no function '{name}'" : index.NoPlugin(plugin));
        }

        if (index.Unique(name) is { } unique)
        {
            return new(unique, null);
        }

        return index.Exporters(name) is { } exporters
            ? new(null, $"function '{name}' is exported by several plugins; call one of: {string.Join(", ", exporters.Select(q => "/functions/" + q))}", Ambiguous: true)
            : new(null, index.NoFunction(name));
    }
}

/// <summary>The names one process knows, for <see cref="FunctionLookup"/>.</summary>
public interface IFunctionIndex<out T>
    where T : class
{
    /// <summary>Function <paramref name="name"/> of <paramref name="plugin"/>, or null; <paramref name="pluginKnown"/> says whether the plugin is.</summary>
    T? Qualified(string plugin, string name, out bool pluginKnown);

    /// <summary>The function of the one plugin exporting <paramref name="name"/>, or null.</summary>
    T? Unique(string name);

    /// <summary>The qualified names (<c>plugin/name</c>) when several plugins export <paramref name="name"/>, else null.</summary>
    IEnumerable<string>? Exporters(string name);

    /// <summary>What to answer when no plugin named <paramref name="plugin"/> is here.</summary>
    string NoPlugin(string plugin);

    /// <summary>What to answer when no plugin exports <paramref name="name"/>.</summary>
    string NoFunction(string name);
}

/// <summary>The function found, or why not (<see cref="Ambiguous"/>: several plugins export the plain name).</summary>
public readonly record struct FunctionLookupResult<T>(T? Function, string? Error, bool Ambiguous = false)
    where T : class;
