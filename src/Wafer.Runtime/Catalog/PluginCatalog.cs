namespace Wafer.Runtime.Catalog;

/// <summary>
/// The registry of plugins being served. Writers are serialized; readers take <see cref="Current"/> without
/// locking and keep a consistent view for as long as they hold it.
/// </summary>
public sealed class PluginCatalog : IDisposable
{
    private readonly Lock _writeLock = new();
    private CatalogSnapshot _current = CatalogSnapshot.Empty;

    public CatalogSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Raised after every publish, on the writer's thread.</summary>
    public event Action<CatalogSnapshot>? Changed;

    /// <summary>
    /// Adds a plugin or replaces the version of the same name from the same owner (<see cref="LoadedPlugin.Owner"/>); the
    /// replaced version drains and is disposed. Throws, changing nothing, <see cref="PluginOwnedElsewhereException"/> when
    /// another owner serves the name (the folder, an upload and a placement never replace each other's plugins: who got
    /// the name first keeps it), and <see cref="PluginLoadException"/> when the plugin's HTTP routes conflict with
    /// another plugin's. Both are decided under the catalog's lock, so two writers racing for a name leave one owner.
    /// </summary>
    public void Upsert(LoadedPlugin plugin)
    {
        LoadedPlugin? replaced;
        CatalogSnapshot next;
        lock (_writeLock)
        {
            var current = _current;
            current.PluginsByName.TryGetValue(plugin.Name, out replaced);
            if (Refusal(plugin, replaced, current.Routes) is { } refusal)
            {
                throw refusal;
            }

            next = new CatalogSnapshot(current.Version + 1, current.Plugins.Where(p => p.Name != plugin.Name).Append(plugin));
            Volatile.Write(ref _current, next);
        }

        replaced?.Retire();
        Changed?.Invoke(next);
    }

    /// <summary>
    /// Adds or replaces several plugins (distinct names) in one publish: each is checked as <see cref="Upsert"/> checks it,
    /// against the catalog and the plugins before it in the list. Those refused are returned with the reason and change
    /// nothing (the caller still owns them); the others are served together, in one new snapshot. Building a snapshot
    /// costs time in proportion to everything served, so a folder of many plugins is published once, not once per plugin.
    /// </summary>
    internal IReadOnlyList<(LoadedPlugin Plugin, PluginLoadException Reason)> UpsertAll(IReadOnlyList<LoadedPlugin> plugins)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        if (plugins.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != plugins.Count)
        {
            throw new ArgumentException("each plugin name may appear once", nameof(plugins));
        }

        var refused = new List<(LoadedPlugin, PluginLoadException)>();
        var replaced = new List<LoadedPlugin>();
        CatalogSnapshot? next = null;
        lock (_writeLock)
        {
            var current = _current;
            var byName = new Dictionary<string, LoadedPlugin>(current.PluginsByName, StringComparer.Ordinal);
            var routes = current.Routes;
            foreach (var plugin in plugins)
            {
                byName.TryGetValue(plugin.Name, out var previous);
                if (Refusal(plugin, previous, routes) is { } refusal)
                {
                    refused.Add((plugin, refusal));
                    continue;
                }

                byName[plugin.Name] = plugin;
                if (previous is not null)
                {
                    replaced.Add(previous);
                }

                if (plugin.Manifest.Routes.Count > 0 || previous?.Manifest.Routes.Count > 0)
                {
                    routes = new RouteTable(byName.Values); // only command plugins have routes: rare, and few
                }
            }

            if (refused.Count < plugins.Count)
            {
                next = new CatalogSnapshot(current.Version + 1, byName.Values);
                Volatile.Write(ref _current, next);
            }
        }

        foreach (var plugin in replaced)
        {
            plugin.Retire();
        }

        if (next is not null)
        {
            Changed?.Invoke(next);
        }

        return refused;
    }

    /// <summary>Why <paramref name="plugin"/> cannot replace <paramref name="served"/> (its name's current version) or join <paramref name="routes"/>; null when it can.</summary>
    private static PluginLoadException? Refusal(LoadedPlugin plugin, LoadedPlugin? served, RouteTable routes)
    {
        if (served is not null && served.Owner != plugin.Owner)
        {
            return new PluginOwnedElsewhereException(
                $"plugin '{plugin.Name}' is already served here {PluginOwners.Describe(served)}; {PluginOwners.Subject(plugin.Owner)} cannot replace it",
                served);
        }

        return routes.FindConflict(plugin) is { } conflict ? new PluginLoadException(conflict) : null;
    }

    /// <summary>Stops serving a plugin; returns false if none of that name is loaded.</summary>
    public bool Remove(string name) => Remove(name, owner: null);

    /// <summary>
    /// Stops serving plugin <paramref name="name"/> when <paramref name="owner"/> serves it; false when none of that
    /// name is loaded or another owner serves it (which stays).
    /// </summary>
    public bool Remove(string name, PluginOwner? owner)
    {
        LoadedPlugin? removed;
        CatalogSnapshot next;
        lock (_writeLock)
        {
            var current = _current;
            if (!current.PluginsByName.TryGetValue(name, out removed) || (owner is { } expected && removed.Owner != expected))
            {
                return false;
            }

            next = new CatalogSnapshot(current.Version + 1, current.Plugins.Where(p => p.Name != name));
            Volatile.Write(ref _current, next);
        }

        removed.Retire();
        Changed?.Invoke(next);
        return true;
    }

    public void Dispose()
    {
        lock (_writeLock)
        {
            foreach (var plugin in _current.Plugins)
            {
                plugin.Retire();
            }

            _current = CatalogSnapshot.Empty;
        }
    }
}
