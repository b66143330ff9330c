using GraphQL;
using Microsoft.Extensions.Logging;
using Wafer.Gateway.Forwarding;
using Wafer.Gateway.Routes;
using Wafer.Runtime.GraphQL;

namespace Wafer.Gateway.GraphQL;

/// <summary>
/// One GraphQL schema over every deployment with metadata, with the runtime's naming rules (plugins are named after
/// their deployments), rebuilt lazily on the first request after the routes change. Fields resolve by forwarding
/// to a replica. A schema that fails to build never replaces a working one.
/// </summary>
public sealed partial class GatewaySchemaSource(RouteState routes, RuntimeClient client, ILogger<GatewaySchemaSource> logger) : ISchemaSource
{
    private readonly Lock _buildLock = new();
    private ServedSchema? _served;

    public IDocumentExecuter Executer { get; } = new DocumentExecuter();

    public ServedSchema Current
    {
        get
        {
            var served = Volatile.Read(ref _served);
            return served is not null && served.Version == routes.Current.Version ? served : Rebuild();
        }
    }

    private ServedSchema Rebuild()
    {
        lock (_buildLock)
        {
            var snapshot = routes.Current;
            var previous = _served;
            if (previous is not null && previous.Version == snapshot.Version)
            {
                return previous;
            }

            ServedSchema next;
            try
            {
                var plugins = snapshot.Deployments.Values.Where(d => d.Metadata is not null).Select(d => new SchemaPlugin(d.Name, d.Metadata!));
                var generated = SchemaGenerator.Generate(plugins, f => new ForwardingFunctionCaller(f, snapshot.Deployments[f.Plugin].Replicas, client));
                next = new ServedSchema(snapshot.Version, generated.Schema, generated.Notes);
                SchemaBuilt(logger, snapshot.Version, generated.Functions.Count, generated.Notes.Count);
            }
            catch (Exception ex)
            {
                SchemaFailed(logger, ex, snapshot.Version);
                var fallback = previous ?? new ServedSchema(0, SchemaGenerator.Generate([], _ => throw new InvalidOperationException("no functions")).Schema, []);
                next = new ServedSchema(snapshot.Version, fallback.Schema, [.. fallback.Notes, $"the schema for routes version {snapshot.Version} failed to build: {ex.Message}"]);
            }

            Volatile.Write(ref _served, next);
            return next;
        }
    }

    [LoggerMessage(EventId = 6020, EventName = "GatewaySchemaBuilt", Level = LogLevel.Information,
        Message = "Gateway GraphQL schema for routes version {Version}: {Fields} fields, {Notes} naming notes")]
    private static partial void SchemaBuilt(ILogger logger, long version, int fields, int notes);

    [LoggerMessage(EventId = 6021, EventName = "GatewaySchemaFailed", Level = LogLevel.Error,
        Message = "Gateway GraphQL schema for routes version {Version} failed to build; the previous schema keeps serving")]
    private static partial void SchemaFailed(ILogger logger, Exception exception, long version);
}
