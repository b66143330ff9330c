using Wafer.Runtime.Catalog;

namespace Wafer.Runtime.Http;

/// <summary>Finds the function a path names, by plain name or as <c>plugin/function</c>.</summary>
public static class FunctionResolver
{
    public static ResolveResult Resolve(CatalogSnapshot snapshot, string? plugin, string name)
    {
        if (plugin is not null)
        {
            return snapshot.ByQualifiedName.TryGetValue(plugin + "/" + name, out var qualified)
                ? new ResolveResult(qualified, null)
                : new ResolveResult(null, snapshot.PluginsByName.ContainsKey(plugin)
                    ? $"plugin '{plugin}' has no function '{name}'"
                    : $"no plugin named '{plugin}' is loaded");
        }

        if (snapshot.ByName.TryGetValue(name, out var function))
        {
            return new ResolveResult(function, null);
        }

        if (snapshot.Ambiguous.TryGetValue(name, out var candidates))
        {
            return new ResolveResult(null,
                $"function '{name}' is exported by several plugins; call one of: {string.Join(", ", candidates.Select(c => "/functions/" + c.QualifiedName))}",
                Ambiguous: true);
        }

        return new ResolveResult(null, $"no function named '{name}' is loaded");
    }
}

public readonly record struct ResolveResult(RegisteredFunction? Function, string? Error, bool Ambiguous = false);
