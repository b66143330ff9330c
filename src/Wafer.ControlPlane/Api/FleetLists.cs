using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Wafer.ControlPlane.Fleet;
using Wafer.ControlPlane.Scheduling;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// The unfiltered lists of the REST API, serialized once per change of what they show (<see cref="SerializedList"/>).
/// Keepalives replace runtimes many times a second in a large fleet but change neither modules nor deployments, so the
/// module and deployment lists survive them; the runtime list, which shows load and last-seen times, is assembled from
/// each runtime's kept JSON, serialized again only for a runtime that changed or whose modules did.
/// </summary>
internal sealed class FleetLists(IOptions<JsonOptions> json, IOrchestratorAddress address)
{
    private readonly JsonSerializerOptions _json = json.Value.SerializerOptions;
    private readonly ConditionalWeakTable<RuntimeNode, RuntimeJson> _withAddresses = new();
    private readonly ConditionalWeakTable<RuntimeNode, RuntimeJson> _withoutAddresses = new();

    private readonly SerializedList _runtimes = new((a, b) => ReferenceEquals(a.Runtimes, b.Runtimes) && ReferenceEquals(a.Modules, b.Modules));

    private readonly SerializedList _modules = new((a, b) =>
        ReferenceEquals(a.Modules, b.Modules) && ReferenceEquals(a.Deployments, b.Deployments) && ReferenceEquals(a.Unplaced, b.Unplaced)
        && RuntimesAlike(a, b, static (x, y) => (x.Name, x.Url, x.State) == (y.Name, y.Url, y.State)));

    private readonly SerializedList _deployments = new((a, b) =>
        ReferenceEquals(a.Modules, b.Modules) && ReferenceEquals(a.Deployments, b.Deployments) && ReferenceEquals(a.Unplaced, b.Unplaced)
        && RuntimesAlike(a, b, static (x, y) => (x.Name, x.Url, x.State, x.DrainRequested) == (y.Name, y.Url, y.State, y.DrainRequested)));

    /// <summary><c>GET /api/runtimes</c> without a filter.</summary>
    public SerializedList.Entry Runtimes(FleetSnapshot fleet, bool addresses) => _runtimes.Get(fleet, addresses, () =>
    {
        var index = FleetIndex.Of(fleet);
        var fragments = addresses ? _withAddresses : _withoutAddresses;
        var parts = new List<byte[]>(fleet.Runtimes.Count);
        foreach (var runtime in fleet.Runtimes.Values.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal))
        {
            var modules = index.ModulesOn(runtime.Id).ToArray();
            if (!fragments.TryGetValue(runtime, out var kept) || !kept.Modules.AsSpan().SequenceEqual(modules, ReferenceComparer.Instance))
            {
                kept = new RuntimeJson(modules, JsonSerializer.SerializeToUtf8Bytes(FleetViews.Runtime(fleet, runtime, modules, addresses), _json));
                fragments.AddOrUpdate(runtime, kept);
            }

            parts.Add(kept.Json);
        }

        return Envelope("runtimes", parts);
    });

    /// <summary><c>GET /api/modules</c> without a filter.</summary>
    public SerializedList.Entry Modules(FleetSnapshot fleet, bool addresses) => _modules.Get(fleet, addresses, () =>
        JsonSerializer.SerializeToUtf8Bytes(ModuleEndpoints.List(fleet, addresses ? address.BaseUrl : null, deployment: null, runtimeIds: null), _json));

    /// <summary><c>GET /api/deployments</c>.</summary>
    public SerializedList.Entry Deployments(FleetSnapshot fleet, bool addresses) => _deployments.Get(fleet, addresses, () =>
        JsonSerializer.SerializeToUtf8Bytes(DeploymentEndpoints.List(fleet, addresses ? address.BaseUrl : null), _json));

    /// <summary>True when both snapshots have the same runtimes, alike in what <paramref name="alike"/> compares.</summary>
    private static bool RuntimesAlike(FleetSnapshot a, FleetSnapshot b, Func<RuntimeNode, RuntimeNode, bool> alike)
    {
        if (ReferenceEquals(a.Runtimes, b.Runtimes))
        {
            return true;
        }

        if (a.Runtimes.Count != b.Runtimes.Count)
        {
            return false;
        }

        foreach (var (id, runtime) in b.Runtimes)
        {
            if (!a.Runtimes.TryGetValue(id, out var before) || (!ReferenceEquals(before, runtime) && !alike(before, runtime)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>{"count":N,"NAME":[…]}</c> around items serialized already, as the list records serialize.</summary>
    private static byte[] Envelope(string name, List<byte[]> items)
    {
        var head = System.Text.Encoding.UTF8.GetBytes($"{{\"count\":{items.Count},\"{name}\":[");
        var length = head.Length + items.Sum(i => i.Length) + Math.Max(items.Count - 1, 0) + 2;
        var json = new byte[length];
        head.CopyTo(json, 0);
        var at = head.Length;
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                json[at++] = (byte)',';
            }

            items[i].CopyTo(json, at);
            at += items[i].Length;
        }

        json[at++] = (byte)']';
        json[at] = (byte)'}';
        return json;
    }

    /// <summary>One runtime's JSON and the modules it was serialized with (the same objects: snapshots share them).</summary>
    private sealed record RuntimeJson(PlacedModule[] Modules, byte[] Json);

    private sealed class ReferenceComparer : IEqualityComparer<PlacedModule>
    {
        public static readonly ReferenceComparer Instance = new();

        public bool Equals(PlacedModule? x, PlacedModule? y) => ReferenceEquals(x, y);

        public int GetHashCode(PlacedModule obj) => RuntimeHelpers.GetHashCode(obj);
    }
}
