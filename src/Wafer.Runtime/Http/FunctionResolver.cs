using Wafer.Protocol.Calls;
using Wafer.Runtime.Catalog;

namespace Wafer.Runtime.Http;

/// <summary>Finds the function a path names, by plain name or as <c>plugin/function</c>, in a catalog snapshot (<see cref="FunctionLookup"/>).</summary>
internal static class FunctionResolver
{
    public static ResolveResult Resolve(CatalogSnapshot snapshot, string? plugin, string name)
    {
        var found = FunctionLookup.Find<RegisteredFunction, CatalogIndex>(new CatalogIndex(snapshot), plugin, name);
        return new ResolveResult(found.Function, found.Error, found.Ambiguous);
    }

    private readonly struct CatalogIndex(CatalogSnapshot snapshot) : IFunctionIndex<RegisteredFunction>
    {
        public RegisteredFunction? Qualified(string plugin, string name, out bool pluginKnown)
        {
            if (snapshot.ByQualifiedName.TryGetValue(plugin + "/" + name, out var function))
            {
                pluginKnown = true;
                return function;
            }

            pluginKnown = snapshot.PluginsByName.ContainsKey(plugin);
            return null;
        }

        public RegisteredFunction? Unique(string name) => snapshot.ByName.GetValueOrDefault(name);

        public IEnumerable<string>? Exporters(string name) =>
            snapshot.Ambiguous.TryGetValue(name, out var candidates) ? candidates.Select(c => c.QualifiedName) : null;

        public string NoPlugin(string plugin) => $"no plugin named '{plugin}' is loaded";

        public string NoFunction(string name) => $"no function named '{name}' is loaded";
    }
}

internal readonly record struct ResolveResult(RegisteredFunction? Function, string? Error, bool Ambiguous = false);
