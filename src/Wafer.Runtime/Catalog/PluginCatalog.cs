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
            if (replaced is not null && replaced.Owner != plugin.Owner)
            {
                throw new PluginOwnedElsewhereException(
                    $"plugin '{plugin.Name}' is already served here {PluginOwners.Describe(replaced)}; {PluginOwners.Subject(plugin.Owner)} cannot replace it",
                    replaced);
            }

            if (current.Routes.FindConflict(plugin) is { } conflict)
            {
                throw new PluginLoadException(conflict);
            }

            next = new CatalogSnapshot(current.Version + 1, current.Plugins.Where(p => p.Name != plugin.Name).Append(plugin));
            Volatile.Write(ref _current, next);
        }

        replaced?.Retire();
        Changed?.Invoke(next);
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
