using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wafer.GraphQL;
using Wafer.Hosting.Http;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.GraphQL;
using Wafer.Runtime.Invocation;
using Wafer.Runtime.Storage;

namespace Wafer.Runtime.Http;

/// <summary>Health probes and read-only views of what the runtime serves.</summary>
internal static class IntrospectionEndpoints
{
    public static IEndpointRouteBuilder MapWaferIntrospection(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok"));
        // Ready means functions are served; a state database that does not answer makes the runtime degraded, not unready.
        endpoints.MapGet("/readyz", (PluginCatalog catalog, StateDatabaseHealth state) =>
        {
            var database = state.Status;
            return Results.Json(new
            {
                ready = true,
                status = database.Usable ? "ok" : "degraded",
                plugins = catalog.Current.Plugins.Count,
                catalogVersion = catalog.Current.Version,
                stateDatabase = new
                {
                    status = database.Status,
                    database = database.Database,
                    since = database.Since,
                    error = database.Error,
                    quarantined = database.Quarantined,
                },
            });
        });

        endpoints.MapGet("/api/plugins", (PluginCatalog catalog, PluginReloader reloader, GraphQLSchemaProvider graphql) =>
        {
            var schema = graphql.Current;
            return Results.Json(new
            {
                plugins = catalog.Current.Plugins.Select(p => Describe(p, schema)),
                sources = reloader.Status,
            });
        });

        endpoints.MapGet("/api/plugins/{name}", (string name, PluginCatalog catalog, GraphQLSchemaProvider graphql) =>
            catalog.Current.PluginsByName.TryGetValue(name, out var plugin)
                ? Results.Json(Describe(plugin, graphql.Current))
                : Problems.PluginNotFound($"no plugin named '{name}' is loaded"));

        endpoints.MapGet("/api/functions", (PluginCatalog catalog) =>
            Results.Json(catalog.Current.Functions.Select(f => new
            {
                name = f.Name,
                qualifiedName = f.QualifiedName,
                plugin = f.Plugin.Name,
                signature = f.Name + ArgumentBinder.Signature(f.Metadata) + ": " + f.Metadata.Result,
                doc = f.Metadata.Doc,
            })));

        return endpoints;
    }

    /// <param name="schema">The GraphQL schema served now: says whether it took the plugin, and if not why.</param>
    internal static object Describe(LoadedPlugin plugin, ServedSchema? schema) => new
    {
        name = plugin.Name,
        type = plugin.Type == Wafer.Protocol.Manifest.PluginType.Command ? "command" : "functions",
        version = plugin.Manifest.Version,
        hash = plugin.Hash,
        routes = plugin.Manifest.Routes.Select(r => new { path = r.Path, methods = r.Methods.Count == 0 ? null : r.Methods }),
        files = plugin.FolderPath is null ? null : new { path = plugin.FolderPath, guestPath = "/data", readOnly = plugin.Manifest.Files!.ReadOnly },
        source = plugin.SourcePath,
        loadedAt = plugin.LoadedAt,
        sdk = plugin.Metadata.Sdk,
        reuseInstances = plugin.Manifest.ReuseInstances,
        limits = plugin.Manifest.Limits,
        capabilities = Capabilities.ManifestDescription.Describe(plugin.Manifest),
        functions = plugin.Metadata.Functions.Select(f => new
        {
            name = f.Name,
            parameters = f.Parameters.Select(p => new { name = p.Name, type = p.Type.ToString() }),
            result = f.Result.ToString(),
            doc = f.Doc,
        }),
        types = plugin.Metadata.Types.Select(t => new
        {
            name = t.Name,
            fields = t.Fields.Select(f => new { name = f.Name, type = f.Type.ToString() }),
        }),
        graphql = plugin.Type == Wafer.Protocol.Manifest.PluginType.Command || schema is null || !schema.Plugins.TryGetValue(plugin.Name, out var status)
            ? null
            : new { state = status.State, reason = status.Reason, leftOut = status.LeftOut },
    };
}
