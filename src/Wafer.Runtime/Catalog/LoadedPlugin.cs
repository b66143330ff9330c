using Wafer.Protocol.Manifest;
using Wafer.Protocol.Metadata;
using Wafer.Wasm;

namespace Wafer.Runtime.Catalog;

/// <summary>
/// One plugin version that passed loading. Immutable. Its compiled module is disposed only after it has been
/// retired from the catalog and the last in-flight call has finished (see <see cref="TryAcquire"/>).
/// </summary>
public sealed class LoadedPlugin
{
    private int _leases = 1; // the catalog's own lease, released on retire
    private int _disposed;

    public LoadedPlugin(PluginManifest manifest, PluginMetadata metadata, WasmModule module, string sourcePath)
    {
        Manifest = manifest;
        Metadata = metadata;
        Module = module;
        SourcePath = sourcePath;
        LoadedAt = DateTimeOffset.UtcNow;
    }

    public string Name => Manifest.Name;

    public string Hash => Module.Hash;

    public PluginManifest Manifest { get; }

    public PluginMetadata Metadata { get; }

    public WasmModule Module { get; }

    /// <summary>The file or folder the plugin was loaded from.</summary>
    public string SourcePath { get; }

    public DateTimeOffset LoadedAt { get; }

    /// <summary>Takes a lease for one call; false if the plugin has already been retired and drained.</summary>
    public bool TryAcquire()
    {
        var current = Volatile.Read(ref _leases);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _leases, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _leases) == 0 && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Module.Dispose();
        }
    }

    /// <summary>Called once by the catalog when a newer version replaces this one or it is removed.</summary>
    internal void Retire() => Release();
}
