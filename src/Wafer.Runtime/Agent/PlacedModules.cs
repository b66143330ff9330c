using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.V1;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Hosting;
using Wafer.Wasm;

namespace Wafer.Runtime.Agent;

/// <summary>
/// The modules the orchestrator placed on this runtime, beside the plugins of the local folder. A module id maps to
/// one plugin name and hash; the catalog serves one version per plugin name, so several module ids of the same
/// plugin and hash share one loaded plugin, and a new hash of a plugin replaces (displaces) the module ids that ran
/// the old one. Commands are applied one at a time.
/// </summary>
public sealed partial class PlacedModules(
    PluginCatalog catalog,
    PluginLoader loader,
    ArtifactFetcher fetcher,
    ModuleStore store,
    IOptions<RuntimeOptions> options,
    ILogger<PlacedModules> logger) : IDisposable
{
    /// <summary>The source path of a placed plugin is <c>orchestrator:MODULE_ID</c>.</summary>
    public const string SourcePrefix = PluginOwners.PlacementPrefix;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, Placement> _byId = new(StringComparer.Ordinal);
    private Placement[] _snapshot = [];

    /// <summary>Every placed module with its state, for <c>announce</c>.</summary>
    public IReadOnlyList<ModuleReport> Reports()
    {
        var current = catalog.Current;
        return Volatile.Read(ref _snapshot).Select(p => new ModuleReport(p.ModuleId, p.Plugin, p.Hash, StateOf(p, current))).ToArray();
    }

    /// <summary>Every placed module's state, for <c>keepalive</c>.</summary>
    public IReadOnlyList<ModuleState> States()
    {
        var current = catalog.Current;
        return Volatile.Read(ref _snapshot).Select(p => new ModuleState(p.ModuleId, StateOf(p, current))).ToArray();
    }

    /// <summary>True when <paramref name="moduleId"/> is served with <paramref name="hash"/>.</summary>
    public bool IsRunning(string moduleId, string hash)
    {
        var placement = Volatile.Read(ref _snapshot).FirstOrDefault(p => p.ModuleId == moduleId);
        return placement is not null
               && string.Equals(placement.Hash, hash, StringComparison.OrdinalIgnoreCase)
               && StateOf(placement, catalog.Current) == ModuleState.Running;
    }

    /// <summary>Fetches, verifies, loads and serves a module; never throws for a bad module (the outcome says why).</summary>
    public async Task<CreateOutcome> CreateAsync(CreateModuleBody command, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await CreateLockedAsync(command, cancellationToken);
        }
        catch (ModuleRefusedException ex)
        {
            ModuleRefused(logger, command.ModuleId, command.Plugin, ex.Message);
            return new CreateOutcome(ex.Message, []);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops serving a module; false when it was not placed here (deleting is idempotent).</summary>
    public async Task<bool> DeleteAsync(string moduleId, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_byId.Remove(moduleId, out var placement))
            {
                return false;
            }

            if (!_byId.Values.Any(p => p.Plugin == placement.Plugin))
            {
                RemoveFromCatalog(placement.Plugin);
            }

            store.Delete(moduleId, placement.Hash, _byId.Values.Any(p => p.Hash == placement.Hash));
            Publish();
            ModuleDeleted(logger, moduleId, placement.Plugin);
            return true;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Serves again the modules kept on disk by an earlier run (before the runtime rejoins); returns those served.</summary>
    public IReadOnlyList<StoredModule> Restore()
    {
        var restored = new List<StoredModule>();
        _gate.Wait();
        try
        {
            foreach (var stored in store.LoadAll())
            {
                try
                {
                    if (!IsSha256(stored.Hash))
                    {
                        throw new ModuleRefusedException($"'{stored.Hash}' is not a SHA-256");
                    }

                    var wasm = store.TryReadArtifact(stored.Hash) ?? throw new ModuleRefusedException("its artifact is missing");
                    if (WasmHost.Sha256Hex(wasm) != stored.Hash)
                    {
                        throw new ModuleRefusedException("its artifact does not match its hash");
                    }

                    if (catalog.Current.PluginsByName.TryGetValue(stored.Plugin, out var local) && !IsPlaced(local))
                    {
                        throw new ModuleRefusedException($"plugin '{stored.Plugin}' is served from the local plugins folder ({local.SourcePath})");
                    }

                    Serve(stored.ModuleId, stored.Plugin, stored.Hash, wasm, ReadManifest(stored.Manifest, stored.Config, stored.Plugin));
                    ModuleRestored(logger, stored.ModuleId, stored.Plugin, stored.Hash[..12]);
                    restored.Add(stored);
                }
                catch (ModuleRefusedException ex)
                {
                    RestoreFailed(logger, stored.ModuleId, stored.Plugin, ex.Message);
                    store.Delete(stored.ModuleId, stored.Hash, hashStillUsed: false);
                }
            }

            Publish();
            return restored;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A program module's program ended for good: a restart of this runtime leaves it ended.</summary>
    public void ProgramEnded(string moduleId) => store.MarkEnded(moduleId);

    private async Task<CreateOutcome> CreateLockedAsync(CreateModuleBody command, CancellationToken cancellationToken)
    {
        var hash = command.Hash.ToLowerInvariant();
        if (!IsSha256(hash))
        {
            throw new ModuleRefusedException($"hash '{command.Hash}' is not a SHA-256 in hex (64 characters)");
        }

        if (!ManifestReader.IsValidName(command.Plugin))
        {
            throw new ModuleRefusedException($"plugin name '{command.Plugin}' is not valid (1-64 characters of a-z, 0-9, '-' and '_')");
        }

        var current = catalog.Current;
        _byId.TryGetValue(command.ModuleId, out var existing);
        if (existing is not null && existing.Hash == hash && existing.Plugin == command.Plugin && StateOf(existing, current) == ModuleState.Running)
        {
            return new CreateOutcome(null, []); // the same command again: already running
        }

        var limit = options.Value.Agent.MaxModules;
        if (existing is null && _byId.Count >= limit)
        {
            throw new ModuleRefusedException($"capacity reached: this runtime already runs {_byId.Count} modules (maxModules {limit})");
        }

        if (current.PluginsByName.TryGetValue(command.Plugin, out var served) && !IsPlaced(served))
        {
            throw new ModuleRefusedException($"plugin '{command.Plugin}' is already served here from the local plugins folder ({served.SourcePath})");
        }

        var manifest = ReadManifest(command.Manifest, command.Config, command.Plugin);
        byte[]? wasm = null;
        string origin;
        List<Placement> displaced;
        if (served is not null && served.Hash == hash && served.Manifest == manifest)
        {
            // Another module id already serves this exact version: share it.
            _byId[command.ModuleId] = new Placement(command.ModuleId, command.Plugin, hash);
            displaced = [];
            origin = "shared";
        }
        else
        {
            wasm = store.TryReadArtifact(hash) is { } kept && WasmHost.Sha256Hex(kept) == hash ? kept : null;
            origin = wasm is null ? "downloaded" : "stored";
            wasm ??= await fetcher.FetchAsync(command.ArtifactUrl, hash, cancellationToken);
            displaced = Serve(command.ModuleId, command.Plugin, hash, wasm, manifest);
        }

        if (existing is not null && existing.Plugin != command.Plugin && !_byId.Values.Any(p => p.Plugin == existing.Plugin))
        {
            RemoveFromCatalog(existing.Plugin);
        }

        foreach (var gone in existing is null || existing.Hash == hash ? displaced : displaced.Append(existing))
        {
            store.Delete(gone.ModuleId, gone.Hash, _byId.Values.Any(p => p.Hash == gone.Hash));
        }

        store.Save(ToStored(command, hash), wasm);
        Publish();
        ModuleCreated(logger, command.ModuleId, command.Plugin, hash[..12], origin);
        return new CreateOutcome(null, displaced.Select(p => p.ModuleId).ToArray());
    }

    /// <summary>Loads and publishes one plugin version; returns the placements of other hashes it displaced.</summary>
    private List<Placement> Serve(string moduleId, string plugin, string hash, byte[] wasm, PluginManifest manifest)
    {
        LoadedPlugin loaded;
        try
        {
            loaded = loader.Load(wasm, manifest, SourcePrefix + moduleId);
        }
        catch (FolderRefusedException ex)
        {
            throw new ModuleRefusedException(ex.Message, ex); // says which folder, and the flag that would allow it
        }
        catch (PluginLoadException ex)
        {
            throw new ModuleRefusedException($"invalid wasm: {ex.Message}", ex);
        }

        try
        {
            catalog.Upsert(loaded);
        }
        catch (PluginLoadException ex)
        {
            loaded.Retire();
            throw new ModuleRefusedException(ex is PluginOwnedElsewhereException ? ex.Message : $"cannot serve: {ex.Message}", ex);
        }

        var displaced = _byId.Values.Where(p => p.Plugin == plugin && p.ModuleId != moduleId && p.Hash != hash).ToList();
        foreach (var gone in displaced)
        {
            _byId.Remove(gone.ModuleId);
            ModuleDisplaced(logger, gone.ModuleId, plugin, moduleId);
        }

        _byId[moduleId] = new Placement(moduleId, plugin, hash);
        return displaced;
    }

    private void RemoveFromCatalog(string plugin)
    {
        catalog.Remove(plugin, PluginOwner.Placement);
    }

    private void Publish() => Volatile.Write(ref _snapshot, _byId.Values.OrderBy(p => p.ModuleId, StringComparer.Ordinal).ToArray());

    /// <summary>The command's manifest with its <c>config</c> laid over the manifest's own, read by the same rules as a file.</summary>
    private static PluginManifest ReadManifest(JsonElement manifestJson, IReadOnlyDictionary<string, string>? config, string plugin)
    {
        JsonObject merged;
        try
        {
            merged = JsonNode.Parse(manifestJson.GetRawText()) as JsonObject
                     ?? throw new ModuleRefusedException("invalid manifest: it must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new ModuleRefusedException($"invalid manifest: {ex.Message}", ex);
        }

        if (config is { Count: > 0 })
        {
            var settings = merged["config"] as JsonObject ?? [];
            merged["config"] = settings;
            foreach (var (key, value) in config)
            {
                settings[key] = value;
            }
        }

        PluginManifest manifest;
        try
        {
            manifest = ManifestReader.Parse(JsonSerializer.SerializeToUtf8Bytes(merged), plugin);
        }
        catch (ManifestException ex)
        {
            throw new ModuleRefusedException($"invalid manifest: {ex.Message}", ex);
        }

        return manifest.Name == plugin
            ? manifest
            : throw new ModuleRefusedException($"invalid manifest: it names plugin '{manifest.Name}' but the command places '{plugin}'");
    }

    private static StoredModule ToStored(CreateModuleBody command, string hash) =>
        new(command.ModuleId, command.Plugin, hash, command.Manifest, command.Config, command.Program);

    private static bool IsPlaced(LoadedPlugin plugin) => plugin.Owner == PluginOwner.Placement;

    private static string StateOf(Placement placement, CatalogSnapshot current) =>
        current.PluginsByName.TryGetValue(placement.Plugin, out var served) && served.Hash == placement.Hash && IsPlaced(served)
            ? ModuleState.Running
            : ModuleState.Failed;

    private static bool IsSha256(string hash) => hash.Length == 64 && hash.All(char.IsAsciiHexDigitLower);

    public void Dispose() => _gate.Dispose();

    private sealed record Placement(string ModuleId, string Plugin, string Hash);

    [LoggerMessage(EventId = 2730, EventName = "ModuleCreated", Level = LogLevel.Information,
        Message = "Serving module {ModuleId}: plugin {Plugin} ({Hash}, {Origin})")]
    private static partial void ModuleCreated(ILogger logger, string moduleId, string plugin, string hash, string origin);

    [LoggerMessage(EventId = 2731, EventName = "ModuleRefused", Level = LogLevel.Warning,
        Message = "Refused module {ModuleId} (plugin {Plugin}): {Reason}")]
    private static partial void ModuleRefused(ILogger logger, string moduleId, string plugin, string reason);

    [LoggerMessage(EventId = 2732, EventName = "ModuleDeleted", Level = LogLevel.Information,
        Message = "Deleted module {ModuleId} (plugin {Plugin})")]
    private static partial void ModuleDeleted(ILogger logger, string moduleId, string plugin);

    [LoggerMessage(EventId = 2733, EventName = "ModuleDisplaced", Level = LogLevel.Information,
        Message = "Module {ModuleId} stopped: module {ByModuleId} serves a new version of plugin {Plugin}")]
    private static partial void ModuleDisplaced(ILogger logger, string moduleId, string plugin, string byModuleId);

    [LoggerMessage(EventId = 2734, EventName = "ModuleRestored", Level = LogLevel.Information,
        Message = "Serving module {ModuleId} again from storage: plugin {Plugin} ({Hash})")]
    private static partial void ModuleRestored(ILogger logger, string moduleId, string plugin, string hash);

    [LoggerMessage(EventId = 2735, EventName = "ModuleRestoreFailed", Level = LogLevel.Warning,
        Message = "Could not serve stored module {ModuleId} (plugin {Plugin}) again: {Reason}; dropped it")]
    private static partial void RestoreFailed(ILogger logger, string moduleId, string plugin, string reason);
}
