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
    /// Adds a plugin or replaces the version of the same name; the replaced version drains and is disposed. Throws
    /// <see cref="PluginLoadException"/>, changing nothing, when the plugin's HTTP routes conflict with another plugin's.
    /// </summary>
    public void Upsert(LoadedPlugin plugin)
    {
        LoadedPlugin? replaced;
        CatalogSnapshot next;
        lock (_writeLock)
        {
            var current = _current;
            if (current.Routes.FindConflict(plugin) is { } conflict)
            {
                throw new PluginLoadException(conflict);
            }

            current.PluginsByName.TryGetValue(plugin.Name, out replaced);
            next = new CatalogSnapshot(current.Version + 1, current.Plugins.Where(p => p.Name != plugin.Name).Append(plugin));
            Volatile.Write(ref _current, next);
        }

        replaced?.Retire();
        Changed?.Invoke(next);
    }

    /// <summary>Stops serving a plugin; returns false if none of that name is loaded.</summary>
    public bool Remove(string name)
    {
        LoadedPlugin? removed;
        CatalogSnapshot next;
        lock (_writeLock)
        {
            var current = _current;
            if (!current.PluginsByName.TryGetValue(name, out removed))
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
