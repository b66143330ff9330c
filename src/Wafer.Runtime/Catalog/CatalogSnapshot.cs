using System.Collections.Frozen;

namespace Wafer.Runtime.Catalog;

/// <summary>
/// Everything being served, published as a whole: readers never see half a reload. A function name exported
/// by several plugins is reachable only by its qualified name <c>plugin/function</c>.
/// </summary>
public sealed class CatalogSnapshot
{
    public static readonly CatalogSnapshot Empty = new(0, []);

    public CatalogSnapshot(long version, IEnumerable<LoadedPlugin> plugins)
    {
        Version = version;
        Plugins = plugins.OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();
        var byQualified = new Dictionary<string, RegisteredFunction>(StringComparer.Ordinal);
        var byName = new Dictionary<string, List<RegisteredFunction>>(StringComparer.Ordinal);
        foreach (var plugin in Plugins)
        {
            foreach (var metadata in plugin.Metadata.Functions)
            {
                var function = new RegisteredFunction(plugin, metadata);
                byQualified[function.QualifiedName] = function;
                if (!byName.TryGetValue(function.Name, out var list))
                {
                    byName[function.Name] = list = [];
                }

                list.Add(function);
            }
        }

        Functions = byQualified.Values.OrderBy(f => f.QualifiedName, StringComparer.Ordinal).ToArray();
        ByQualifiedName = byQualified.ToFrozenDictionary(StringComparer.Ordinal);
        ByName = byName.Where(kv => kv.Value.Count == 1).ToFrozenDictionary(kv => kv.Key, kv => kv.Value[0], StringComparer.Ordinal);
        Ambiguous = byName.Where(kv => kv.Value.Count > 1)
            .ToFrozenDictionary(kv => kv.Key, kv => (IReadOnlyList<RegisteredFunction>)kv.Value, StringComparer.Ordinal);
        PluginsByName = Plugins.ToFrozenDictionary(p => p.Name, StringComparer.Ordinal);
        Routes = new RouteTable(Plugins);
    }

    /// <summary>Increases by one with every publish.</summary>
    public long Version { get; }

    public IReadOnlyList<LoadedPlugin> Plugins { get; }

    public IReadOnlyList<RegisteredFunction> Functions { get; }

    public FrozenDictionary<string, LoadedPlugin> PluginsByName { get; }

    public FrozenDictionary<string, RegisteredFunction> ByQualifiedName { get; }

    /// <summary>Functions whose plain name is exported by exactly one plugin.</summary>
    public FrozenDictionary<string, RegisteredFunction> ByName { get; }

    /// <summary>The HTTP handler routes of the command plugins.</summary>
    public RouteTable Routes { get; }

    /// <summary>Plain names exported by more than one plugin, with every candidate.</summary>
    public FrozenDictionary<string, IReadOnlyList<RegisteredFunction>> Ambiguous { get; }
}
