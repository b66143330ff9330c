using Microsoft.Extensions.Logging;
using Wafer.GraphQL;
using Wafer.Runtime.Catalog;

namespace Wafer.Runtime.GraphQL;

/// <summary>The schema for the catalog's current snapshot (<see cref="LazySchemaSource{TSnapshot}"/>); failures are logged.</summary>
internal sealed partial class GraphQLSchemaProvider(PluginCatalog catalog, SchemaFactory factory, ILogger<GraphQLSchemaProvider> logger)
    : LazySchemaSource<CatalogSnapshot>
{
    protected override CatalogSnapshot Snapshot => catalog.Current;

    protected override string SourceName => "catalog";

    protected override long VersionOf(CatalogSnapshot snapshot) => snapshot.Version;

    protected override GeneratedSchema Build(CatalogSnapshot snapshot) => factory.Create(snapshot);

    protected override void OnBuildFailed(Exception exception, long version, long? previous) => SchemaFailed(logger, exception, version, previous);

    [LoggerMessage(EventId = 2302, EventName = "GraphQLSchemaFailed", Level = LogLevel.Error,
        Message = "GraphQL schema for catalog version {Version} failed to build; still serving the schema of version {Previous}")]
    private static partial void SchemaFailed(ILogger logger, Exception exception, long version, long? previous);
}
