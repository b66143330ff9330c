using System.Collections.Concurrent;
using System.Text.Json;
using Wafer.ControlPlane.Artifacts;
using Wafer.ControlPlane.Fleet;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.Metadata;
using Wafer.Protocol.Modus;
using Wafer.Protocol.Routes;

namespace Wafer.ControlPlane.Gateway;

/// <summary>
/// The gateway's view of one fleet snapshot: every deployment with replicas running on online runtimes (draining
/// ones only when no online runtime runs it), with its plugin's metadata and handler routes. Offline runtimes are
/// never in it. Metadata is read from the artifact store once per hash (again on the next build when the store could
/// not be read or did not have it yet), routes parsed once per manifest, so equal
/// routes share their lists and <see cref="SameRoutes"/> compares cheaply. Linear in the fleet's size: it runs on
/// every fleet change (keepalives included).
/// </summary>
internal sealed class FleetRouteBuilder(IArtifactStore artifacts)
{
    private readonly ConcurrentDictionary<string, JsonElement?> _metadata = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<HandlerRouteSpec>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string[]> _functionNames = new(StringComparer.Ordinal);

    public RouteDocument Build(FleetSnapshot fleet)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var running = fleet.Modules.Values
            .Where(m => m.Status == ModuleStatus.Running && fleet.Runtimes.TryGetValue(m.RuntimeId, out var r) && r.Alive)
            .ToLookup(m => m.Deployment, m => fleet.Runtimes[m.RuntimeId], StringComparer.Ordinal);
        var deployments = new List<DeploymentRoutes>();
        foreach (var deployment in fleet.Deployments.Values.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            var hosts = running[deployment.Name].ToList();
            var online = hosts.Where(r => r.State == RuntimeState.Online).ToList();
            var serving = (online.Count > 0 ? online : hosts).OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal);
            var replicas = serving.Where(r => !string.IsNullOrEmpty(r.Url)).Select(r => new ReplicaAddress(r.Id, r.Name, r.Url, r.H2cUrl)).ToList();
            if (replicas.Count == 0)
            {
                continue;
            }

            deployments.Add(new DeploymentRoutes(deployment.Name, deployment.Hash, Metadata(deployment.Hash), HandlerRoutes(deployment), replicas));
        }

        return new RouteDocument(fleet.Version, deployments);
    }

    /// <summary>
    /// True when <paramref name="b"/> holds everything routes are built from as <paramref name="a"/> did: the same
    /// deployments and modules, and runtimes alike but for load and last-seen times. Keepalives change only those,
    /// and they are most of the fleet's changes, so this saves a rebuild (linear in the fleet) for each.
    /// </summary>
    public static bool SameInputs(FleetSnapshot a, FleetSnapshot b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (!ReferenceEquals(a.Deployments, b.Deployments) || !ReferenceEquals(a.Modules, b.Modules) || a.Runtimes.Count != b.Runtimes.Count)
        {
            return false;
        }

        foreach (var (id, runtime) in b.Runtimes)
        {
            if (!a.Runtimes.TryGetValue(id, out var before)
                || (before.Name, before.Url, before.H2cUrl, before.State) != (runtime.Name, runtime.Url, runtime.H2cUrl, runtime.State))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>True when both documents route the same deployments to the same replicas (versions aside).</summary>
    public static bool SameRoutes(RouteDocument a, RouteDocument b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return a.Deployments.Count == b.Deployments.Count
               && a.Deployments.Zip(b.Deployments).All(p =>
                   p.First.Name == p.Second.Name && p.First.Hash == p.Second.Hash
                   && ReferenceEquals(p.First.Routes, p.Second.Routes)
                   && p.First.Replicas.SequenceEqual(p.Second.Replicas));
    }

    /// <summary>The names of the functions a stored artifact exports (none when it has no metadata).</summary>
    /// <summary>The function names plugin <paramref name="hash"/> exports, read once per hash.</summary>
    public IReadOnlyList<string> FunctionNames(string hash)
    {
        if (_functionNames.TryGetValue(hash, out var known))
        {
            return known;
        }

        if (Metadata(hash) is not { ValueKind: JsonValueKind.Object } metadata)
        {
            return [];
        }

        string[] names = metadata.TryGetProperty("functions", out var functions) && functions.ValueKind == JsonValueKind.Array
            ? [.. functions.EnumerateArray()
                .Where(f => f.ValueKind == JsonValueKind.Object && f.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String)
                .Select(f => f.GetProperty("name").GetString()!)]
            : [];
        return _functionNames[hash] = names;
    }

    private JsonElement? Metadata(string hash)
    {
        if (_metadata.TryGetValue(hash, out var known))
        {
            return known;
        }

        byte[] wasm;
        try
        {
            // The folder store answers at once; an S3 store reads each hash once, after which its local copy answers.
            using var stream = artifacts.OpenAsync(hash).GetAwaiter().GetResult();
            if (stream is null)
            {
                return null;
            }

            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            wasm = buffer.ToArray();
        }
        catch (Exception ex) when (ex is ArtifactStoreException or IOException)
        {
            return null;
        }

        return _metadata[hash] = ReadMetadata(wasm);
    }

    private static JsonElement? ReadMetadata(byte[] wasm)
    {
        try
        {
            // A Modus app has no wafer.meta: its Modus metadata, mapped, travels in the same form.
            var json = ModuleMetadata.FindJson(wasm)
                ?? (ModusModule.Is(wasm) ? MetadataWriter.Write(ModusModule.ReadMetadata(wasm).Model.Metadata) : null);
            return json is null ? null : JsonDocument.Parse(json).RootElement.Clone();
        }
        catch (Exception ex) when (ex is JsonException or MetadataException)
        {
            return null;
        }
    }

    private List<HandlerRouteSpec> HandlerRoutes(Deployment deployment) => _routes.GetOrAdd(deployment.Manifest, manifest =>
    {
        try
        {
            return [.. ManifestReader.Parse(System.Text.Encoding.UTF8.GetBytes(manifest), deployment.Name).Routes
                .Select(r => new HandlerRouteSpec(r.Path, [.. r.Methods]))];
        }
        catch (ManifestException)
        {
            return []; // refused at deploy time already; nothing to route
        }
    });
}
