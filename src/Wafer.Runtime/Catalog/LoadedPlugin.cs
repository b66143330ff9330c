using Wafer.Protocol.Manifest;
using Wafer.Protocol.Metadata;
using Wafer.Runtime.Execution;
using Wafer.Wasm;
using Wafer.Wasm.Wasi;

namespace Wafer.Runtime.Catalog;

/// <summary>
/// One plugin version that passed loading. Immutable. Its compiled module is disposed only after it has been
/// retired from the catalog and the last in-flight call has finished (see <see cref="TryAcquire"/>).
/// </summary>
public sealed class LoadedPlugin
{
    private readonly WasmModule? _module;
    private int _leases = 1; // the catalog's own lease, released on retire
    private int _disposed;

    public LoadedPlugin(PluginManifest manifest, PluginMetadata metadata, WasmModule module, string sourcePath)
    {
        Manifest = manifest;
        Metadata = metadata;
        _module = module;
        SourcePath = sourcePath;
        LoadedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>A command plugin (<c>"type": "command"</c>): no functions; runs as jobs and HTTP handlers.</summary>
    /// <param name="folderPath">The absolute host folder granted by the manifest's <c>files</c>, or null.</param>
    public LoadedPlugin(PluginManifest manifest, CommandModule command, string sourcePath, string? folderPath)
    {
        Manifest = manifest;
        Metadata = CommandMetadata;
        Command = command;
        SourcePath = sourcePath;
        FolderPath = folderPath;
        LoadedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The metadata of every command plugin: no functions, no types.</summary>
    public static PluginMetadata CommandMetadata { get; } = new(PluginMetadata.CurrentAbi, "wasi-command", [], []);

    public string Name => Manifest.Name;

    public PluginType Type => Manifest.Type;

    public string Hash => _module?.Hash ?? Command!.Hash;

    /// <summary>The compiled command module of a command plugin; null for a functions plugin.</summary>
    public CommandModule? Command { get; }

    /// <summary>The absolute host folder a command plugin sees as <c>/data</c>, or null when it has none.</summary>
    public string? FolderPath { get; }

    public TimeSpan LoadTime => _module?.LoadTime ?? Command!.LoadTime;

    public bool LoadedFromCache => _module?.LoadedFromCache ?? Command!.LoadedFromCache;

    public PluginManifest Manifest { get; }

    public PluginMetadata Metadata { get; }

    /// <summary>The compiled function module; a command plugin has none (asking for it is a bug).</summary>
    public WasmModule Module => _module ?? throw new InvalidOperationException($"plugin '{Name}' is a command plugin and has no function module");

    /// <summary>The file or folder the plugin was loaded from (<c>upload:NAME</c>, <c>orchestrator:MODULE_ID</c> for those owners).</summary>
    public string SourcePath { get; }

    /// <summary>Who serves it: the folder, an upload or a placement (<see cref="PluginOwners.Of"/>).</summary>
    public PluginOwner Owner => PluginOwners.Of(SourcePath);

    public DateTimeOffset LoadedAt { get; }

    /// <summary>The part of the runtime's execution slots this plugin's HTTP handler routes share.</summary>
    public CallShare HandlerShare { get; } = new();

    /// <summary>The Modus app this plugin runs (a module built with the Modus SDK), or null for a Wafer plugin.</summary>
    public Modus.ModusApp? Modus { get; init; }

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
            _module?.Dispose();
            Command?.Dispose();
        }
    }

    /// <summary>Called once by the catalog when a newer version replaces this one or it is removed.</summary>
    internal void Retire() => Release();
}
