using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Wafer.Gateway.Health;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.Metadata;
using Wafer.Protocol.Routes;

namespace Wafer.Gateway.Routes;

/// <summary>Turns a <see cref="RouteDocument"/> into a <see cref="RouteSnapshot"/>; metadata is parsed once per plugin hash.</summary>
public sealed partial class RouteSnapshotBuilder(DestinationRegistry destinations, ILogger<RouteSnapshotBuilder> logger)
{
    private readonly Dictionary<string, PluginMetadata?> _metadata = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public RouteSnapshot Build(RouteDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        lock (_lock)
        {
            var targets = new Dictionary<string, DeploymentTarget>(StringComparer.Ordinal);
            var used = new HashSet<Destination>();
            var handlers = new List<(PluginRoute, DeploymentTarget)>();
            foreach (var deployment in document.Deployments)
            {
                var replicas = deployment.Replicas.Select(destinations.Get).ToArray();
                used.UnionWith(replicas);
                var metadata = Metadata(deployment);
                var functions = metadata?.Functions.Select(f => f.Name).ToFrozenSet(StringComparer.Ordinal) ?? FrozenSet<string>.Empty;
                var target = new DeploymentTarget(deployment.Name, deployment.Hash, metadata, functions, new ReplicaSet(deployment.Name, replicas));
                targets[deployment.Name] = target;
                handlers.AddRange(deployment.Routes.Select(r => (new PluginRoute(r.Path, new ValueList<string>(r.Methods)), target)));
            }

            destinations.Retain(used);
            var byFunction = targets.Values
                .SelectMany(t => t.Functions.Select(f => (Function: f, Target: t)))
                .GroupBy(x => x.Function, StringComparer.Ordinal)
                .ToArray();
            return new RouteSnapshot(
                document,
                targets.ToFrozenDictionary(StringComparer.Ordinal),
                byFunction.Where(g => g.Count() == 1).ToFrozenDictionary(g => g.Key, g => g.Single().Target, StringComparer.Ordinal),
                byFunction.Where(g => g.Count() > 1)
                    .ToFrozenDictionary(g => g.Key, g => g.Select(x => x.Target.Name + "/" + g.Key).Order(StringComparer.Ordinal).ToImmutableArray(), StringComparer.Ordinal),
                new HandlerRouteTable(handlers));
        }
    }

    private PluginMetadata? Metadata(DeploymentRoutes deployment)
    {
        if (deployment.Metadata is not { ValueKind: JsonValueKind.Object } json)
        {
            return null;
        }

        if (_metadata.TryGetValue(deployment.Hash, out var known))
        {
            return known;
        }

        PluginMetadata? parsed = null;
        try
        {
            parsed = MetadataReader.Parse(JsonSerializer.SerializeToUtf8Bytes(json));
        }
        catch (MetadataException ex)
        {
            BadMetadata(logger, deployment.Name, ex.Message);
        }

        _metadata[deployment.Hash] = parsed;
        return parsed;
    }

    [LoggerMessage(EventId = 6001, EventName = "GatewayBadMetadata", Level = LogLevel.Warning,
        Message = "Deployment {Deployment}: its plugin metadata is unreadable ({Reason}); only its handler routes are served")]
    private static partial void BadMetadata(ILogger logger, string deployment, string reason);
}
