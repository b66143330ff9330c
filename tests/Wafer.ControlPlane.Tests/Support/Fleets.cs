namespace Wafer.ControlPlane.Tests.Support;

/// <summary>Builders for runtimes, deployments, modules and snapshots, with defaults a test overrides as needed.</summary>
internal static class Fleets
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

    public static string Hash(char c = 'a') => new(c, 64);

    public static RuntimeNode Runtime(
        string id, int maxModules = 10, RuntimeState state = RuntimeState.Online, bool draining = false, double cpu = 0,
        params (string Key, string Value)[] labels) =>
        new(id, id, labels.ToImmutableSortedDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal), new Capacity(2, 1024, maxModules),
            ["functions", "jobs", "http"], "1.0.0", $"http://{id}.test", 5, draining ? RuntimeState.Draining : state, draining, false, T0, T0,
            draining ? T0 : null, new Load(0, 0, cpu, 100));

    public static Deployment Deployment(string name, int replicas = 1, char hash = 'a', params (string Key, string Value)[] labels) =>
        new(name, Hash(hash), $$"""{"name":"{{name}}"}""", "functions", replicas,
            labels.ToImmutableSortedDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal), ImmutableSortedDictionary<string, string>.Empty, T0, T0);

    public static PlacedModule Module(string id, string deployment, string runtime, ModuleStatus status = ModuleStatus.Running, char hash = 'a') =>
        new(id, deployment, Hash(hash), runtime, status, null, "req-" + id, T0, T0);

    public static FleetSnapshot Snapshot(IEnumerable<RuntimeNode> runtimes, IEnumerable<Deployment> deployments, IEnumerable<PlacedModule>? modules = null) =>
        FleetSnapshot.Empty with
        {
            Runtimes = FleetSnapshot.Empty.Runtimes.SetItems(runtimes.Select(r => KeyValuePair.Create(r.Id, r))),
            Deployments = FleetSnapshot.Empty.Deployments.SetItems(deployments.Select(d => KeyValuePair.Create(d.Name, d))),
            Modules = FleetSnapshot.Empty.Modules.SetItems((modules ?? []).Select(m => KeyValuePair.Create(m.Id, m))),
        };

    public static AnnounceBody Announce(string id, int maxModules = 10, IReadOnlyList<ModuleReport>? modules = null, params (string Key, string Value)[] labels) =>
        new(id, id, labels.ToDictionary(l => l.Key, l => l.Value), new Capacity(2, 1024, maxModules), ["functions", "jobs", "http"], "1.0.0",
            $"http://{id}.test", 5, modules ?? []);
}
