using Wafer.Runtime.Catalog;
using Wafer.Runtime.Http;

namespace Wafer.Runtime.Lambda;

/// <summary>
/// Finds the function serving a Dgraph resolver: the one a manifest maps it to in <c>resolvers</c>, else the
/// function named like the field (<c>Query.getPerson</c> → <c>getPerson</c>). Webhooks (<c>Author.add</c>) are
/// served only through the manifest: a function named <c>add</c> is far too likely to be something else.
/// </summary>
internal static class LambdaResolvers
{
    public static ResolveResult Find(CatalogSnapshot snapshot, string resolver, bool webhook = false)
    {
        if (resolver.StartsWith('$'))
        {
            return new ResolveResult(null, $"'{resolver}' is not a resolver Dgraph sends: name a field, like \"Query.getPerson\"");
        }

        var mapped = snapshot.Plugins
            .Where(p => p.Manifest.Resolvers.ContainsKey(resolver))
            .Select(p => (Plugin: p, Function: p.Manifest.Resolvers[resolver]))
            .ToArray();
        if (mapped.Length > 1)
        {
            return new ResolveResult(null,
                $"resolver '{resolver}' is mapped by several plugins: {string.Join(", ", mapped.Select(m => m.Plugin.Name + "/" + m.Function))}",
                Ambiguous: true);
        }

        if (mapped.Length == 1)
        {
            var (plugin, function) = mapped[0];
            return snapshot.ByQualifiedName.TryGetValue(plugin.Name + "/" + function, out var found)
                ? new ResolveResult(found, null)
                : new ResolveResult(null, $"resolver '{resolver}' maps to {plugin.Name}/{function}, which the plugin does not export");
        }

        if (webhook)
        {
            return new ResolveResult(null, $"no function serves webhook '{resolver}': map it in a manifest's \"resolvers\", like \"{resolver}\": \"onChange\"");
        }

        var dot = resolver.LastIndexOf('.');
        var field = dot >= 0 ? resolver[(dot + 1)..] : resolver;
        var result = FunctionResolver.Resolve(snapshot, null, field);
        return result.Function is null && !result.Ambiguous
            ? new ResolveResult(null, $"no function serves resolver '{resolver}': export a function named '{field}' or map it in the manifest's \"resolvers\"")
            : result;
    }
}
