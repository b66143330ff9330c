using System.Collections.Concurrent;
using System.Text.Json;
using Wafer.ControlPlane.Artifacts;
using Wafer.ControlPlane.Fleet;
using Wafer.Gateway.Routes;
using Wafer.Protocol.Manifest;
using Wafer.Wasm;

namespace Wafer.ControlPlane.Gateway;

/// <summary>
/// The gateway's view of one fleet snapshot: every deployment with replicas running on online runtimes (draining
/// ones only when no online runtime runs it), with its plugin's metadata and handler routes. Offline runtimes are
/// never in it. Metadata is read from the stored artifact once per hash.
/// </summary>
public sealed class FleetRouteBuilder(ArtifactFiles artifacts)
{
    private readonly ConcurrentDictionary<string, JsonElement?> _metadata = new(StringComparer.Ordinal);

    public RouteDocument Build(FleetSnapshot fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var deployments = new List<DeploymentRoutes>();
        foreach (var deployment in fleet.Deployments.Values.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            var running = fleet.ModulesOf(deployment.Name)
                .Where(m => m.Status == ModuleStatus.Running && fleet.Runtimes.TryGetValue(m.RuntimeId, out var r) && r.Alive)
                .Select(m => fleet.Runtimes[m.RuntimeId])
                .ToList();
            var online = running.Where(r => r.State == RuntimeState.Online).ToList();
            var serving = (online.Count > 0 ? online : running).OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal);
            var replicas = serving.Where(r => !string.IsNullOrEmpty(r.Url)).Select(r => new ReplicaAddress(r.Id, r.Name, r.Url)).ToList();
            if (replicas.Count == 0)
            {
                continue;
            }

            deployments.Add(new DeploymentRoutes(deployment.Name, deployment.Hash, Metadata(deployment.Hash), HandlerRoutes(deployment), replicas));
        }

        return new RouteDocument(fleet.Version, deployments);
    }

    private JsonElement? Metadata(string hash) => _metadata.GetOrAdd(hash, h =>
    {
        try
        {
            var json = artifacts.Exists(h) ? WasmHost.FindMetadataJson(File.ReadAllBytes(artifacts.PathOf(h))) : null;
            return json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    });

    private static List<HandlerRouteSpec> HandlerRoutes(Deployment deployment)
    {
        try
        {
            return [.. ManifestReader.Parse(System.Text.Encoding.UTF8.GetBytes(deployment.Manifest), deployment.Name).Routes
                .Select(r => new HandlerRouteSpec(r.Path, [.. r.Methods]))];
        }
        catch (ManifestException)
        {
            return []; // refused at deploy time already; nothing to route
        }
    }
}
