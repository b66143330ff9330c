using GraphQL;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Catalog;

namespace Wafer.Runtime.GraphQL;

/// <summary>
/// The schema for the catalog's current snapshot, rebuilt lazily on the first request after a change and then
/// shared by every request until the next change. Readers never lock once the schema is current. A schema that
/// fails to build never replaces a working one: the previous schema keeps serving and the failure is logged.
/// </summary>
public sealed partial class GraphQLSchemaProvider(PluginCatalog catalog, SchemaFactory factory, ILogger<GraphQLSchemaProvider> logger) : ISchemaSource
{
    private readonly Lock _buildLock = new();
    private ServedSchema? _served;

    /// <summary>The executer every request uses; stateless and thread-safe.</summary>
    public IDocumentExecuter Executer { get; } = new DocumentExecuter();

    /// <summary>The schema for <see cref="PluginCatalog.Current"/>, built if the catalog changed since the last call.</summary>
    public ServedSchema Current
    {
        get
        {
            var served = Volatile.Read(ref _served);
            return served is not null && served.Version == catalog.Current.Version ? served : Rebuild();
        }
    }

    private ServedSchema Rebuild()
    {
        lock (_buildLock)
        {
            var snapshot = catalog.Current;
            var previous = _served;
            if (previous is not null && previous.Version == snapshot.Version)
            {
                return previous;
            }

            ServedSchema next;
            try
            {
                var generated = factory.Create(snapshot);
                next = new ServedSchema(snapshot.Version, generated.Schema, generated.Notes);
            }
            catch (Exception ex)
            {
                SchemaFailed(logger, ex, snapshot.Version, previous?.Version);
                var fallback = previous ?? Empty();
                next = new ServedSchema(snapshot.Version, fallback.Schema, [.. fallback.Notes, $"the schema for catalog version {snapshot.Version} failed to build: {ex.Message}"]);
            }

            Volatile.Write(ref _served, next);
            return next;
        }
    }

    private static ServedSchema Empty()
    {
        var generated = SchemaGenerator.Generate([], _ => throw new InvalidOperationException("no functions"));
        return new ServedSchema(0, generated.Schema, []);
    }

    [LoggerMessage(EventId = 2302, EventName = "GraphQLSchemaFailed", Level = LogLevel.Error,
        Message = "GraphQL schema for catalog version {Version} failed to build; still serving the schema of version {Previous}")]
    private static partial void SchemaFailed(ILogger logger, Exception exception, long version, long? previous);
}
