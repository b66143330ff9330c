using Microsoft.Extensions.Logging;
using Wafer.Gateway.Forwarding;
using Wafer.Gateway.Routes;
using Wafer.GraphQL;

namespace Wafer.Gateway.GraphQL;

/// <summary>
/// One GraphQL schema over every deployment with metadata, with the runtime's naming rules (plugins are named after
/// their deployments), rebuilt lazily on the first request after the routes change
/// (<see cref="LazySchemaSource{TSnapshot}"/>). Fields resolve by forwarding to a replica. A deployment whose
/// metadata the schema cannot take is left out alone, logged and noted in the SDL's header.
/// </summary>
internal sealed partial class GatewaySchemaSource(RouteState routes, RuntimeClient client, ReplicaLoop loop, GatewayMetrics metrics, ILogger<GatewaySchemaSource> logger)
    : LazySchemaSource<RouteSnapshot>
{
    protected override RouteSnapshot Snapshot => routes.Current;

    protected override string SourceName => "routes";

    protected override long VersionOf(RouteSnapshot snapshot) => snapshot.Version;

    protected override GeneratedSchema Build(RouteSnapshot snapshot)
    {
        var plugins = snapshot.Deployments.Values.Where(d => d.Metadata is not null).Select(d => new SchemaPlugin(d.Name, d.Metadata!));
        var generated = SchemaGenerator.Generate(plugins, f => new ForwardingFunctionCaller(f, snapshot.Deployments[f.Plugin].Replicas, client, loop, metrics));
        foreach (var (deployment, status) in generated.Plugins.Where(p => p.Value.State == PluginSchemaStatus.Refused))
        {
            DeploymentRefused(logger, deployment, snapshot.Version, status.Reason ?? "");
        }

        SchemaBuilt(logger, snapshot.Version, generated.Functions.Count, generated.Notes.Count);
        return generated;
    }

    protected override void OnBuildFailed(Exception exception, long version, long? previous) => SchemaFailed(logger, exception, version);

    [LoggerMessage(EventId = 6020, EventName = "GatewaySchemaBuilt", Level = LogLevel.Information,
        Message = "Gateway GraphQL schema for routes version {Version}: {Fields} fields, {Notes} naming notes")]
    private static partial void SchemaBuilt(ILogger logger, long version, int fields, int notes);

    [LoggerMessage(EventId = 6021, EventName = "GatewaySchemaFailed", Level = LogLevel.Error,
        Message = "Gateway GraphQL schema for routes version {Version} failed to build; the previous schema keeps serving")]
    private static partial void SchemaFailed(ILogger logger, Exception exception, long version);

    [LoggerMessage(EventId = 6022, EventName = "GatewaySchemaDeploymentRefused", Level = LogLevel.Error,
        Message = "Gateway GraphQL schema for routes version {Version} leaves deployment {Deployment} out: {Reason}; every other deployment keeps its fields")]
    private static partial void DeploymentRefused(ILogger logger, string deployment, long version, string reason);
}
