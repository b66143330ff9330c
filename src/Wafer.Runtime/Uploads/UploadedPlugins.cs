using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Protocol.Manifest;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Hosting;
using Wafer.Storage;

namespace Wafer.Runtime.Uploads;

/// <summary>
/// Plugins deployed straight to this runtime through <c>POST /api/plugins</c> (<c>wafer deploy --server RUNTIME</c>),
/// beside the local folder's plugins and the modules the orchestrator places. Each is kept as a record
/// <c>STORAGE/uploads/NAME.json</c> (its hash and manifest) with its wasm in the runtime's one file store
/// (<see cref="PluginFiles"/>, shared with placed modules), and served again after a restart: an upload is answered as
/// served only once both are durably on disk (<see cref="DurableFiles"/>), and one that cannot be kept (a full disk)
/// changes nothing. A name served by another owner (the folder, the orchestrator) is refused rather than replaced; the
/// catalog decides that under its lock (<see cref="PluginCatalog.Upsert"/>).
/// </summary>
internal sealed partial class UploadedPlugins(
    PluginCatalog catalog, PluginLoader loader, PluginFiles files, IOptions<RuntimeOptions> options, ILogger<UploadedPlugins> logger) : IHostedService
{
    /// <summary>The source path of an uploaded plugin is <c>upload:NAME</c>.</summary>
    public const string SourcePrefix = PluginOwners.UploadPrefix;

    private readonly Lock _gate = new();

    public string Root { get; } = Path.Combine(options.Value.StoragePath, "uploads");

    /// <summary>
    /// Loads and serves <paramref name="wasm"/> as plugin <paramref name="name"/> (replacing an earlier upload of that
    /// name) and keeps it on disk. The manifest's name is set to <paramref name="name"/>, its project-only <c>wasm</c>
    /// key dropped and <paramref name="config"/> laid over its <c>config</c>. Throws <see cref="UploadRefusedException"/> for
    /// a bad or conflicting upload, <see cref="UploadNotStoredException"/> when it cannot be kept on disk; either way
    /// nothing changes.
    /// </summary>
    public (LoadedPlugin Plugin, bool Created) Add(string name, byte[] wasm, byte[]? manifestJson, IReadOnlyDictionary<string, string>? config)
    {
        if (!ManifestReader.IsValidName(name))
        {
            throw new UploadRefusedException($"plugin name '{name}' is not valid (1-64 characters of a-z, 0-9, '-' and '_')");
        }

        var manifestBytes = PrepareManifest(manifestJson, name, config);
        PluginManifest manifest;
        try
        {
            manifest = ManifestReader.Parse(manifestBytes, name);
        }
        catch (ManifestException ex)
        {
            throw new UploadRefusedException($"invalid manifest: {ex.Message}", inner: ex);
        }

        lock (_gate)
        {
            var existing = catalog.Current.PluginsByName.GetValueOrDefault(name);
            if (existing is not null && !IsUploaded(existing))
            {
                throw new UploadRefusedException($"plugin '{name}' is already served here from {existing.SourcePath}", conflict: true);
            }

            var loaded = Load(name, wasm, manifest);
            lock (files.Gate) // the wasm and the record naming it, with no deletion in between
            {
                StagedFile? stagedRecord = null;
                try
                {
                    try
                    {
                        DurableFiles.CreateFolder(Root);
                        files.Put(wasm);
                        stagedRecord = DurableFiles.Stage(RecordPath(name), Record(loaded.Hash, manifestBytes));
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        loaded.Retire();
                        files.DeleteIfUnused(loaded.Hash);
                        throw NotStored(name, ex, existing is not null);
                    }

                    Publish(name, loaded);
                    try
                    {
                        stagedRecord.Commit();
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        // Served but not kept: take it down again (serving what the disk holds, if anything), so success
                        // always means the upload survives a restart.
                        if (catalog.Current.PluginsByName.TryGetValue(name, out var served) && ReferenceEquals(served, loaded))
                        {
                            catalog.Remove(name, PluginOwner.Upload);
                        }

                        TryRestore(name);
                        throw NotStored(name, ex, existing is not null);
                    }
                }
                finally
                {
                    stagedRecord?.Dispose();
                }

                if (existing is not null && existing.Hash != loaded.Hash)
                {
                    files.DeleteIfUnused(existing.Hash); // the earlier upload's wasm, unless something else has the same bytes
                }
            }

            PluginUploaded(logger, name, loaded.Hash[..12]);
            return (loaded, existing is null);
        }
    }

    /// <summary>Stops serving an uploaded plugin and forgets it; false when no upload of that name is served.</summary>
    public bool Remove(string name)
    {
        lock (_gate)
        {
            if (!catalog.Current.PluginsByName.TryGetValue(name, out var served))
            {
                return false;
            }

            if (!IsUploaded(served))
            {
                throw new UploadRefusedException(
                    $"plugin '{name}' is served from {served.SourcePath}, not uploaded through the API; only uploaded plugins can be removed here", conflict: true);
            }

            catalog.Remove(name, PluginOwner.Upload);
            TryDelete(RecordPath(name));
            try
            {
                DurableFiles.SyncFolder(Root); // else a power cut could bring the removed upload back
                files.DeleteIfUnused(served.Hash);
            }
            catch (IOException)
            {
            }

            PluginRemoved(logger, name);
            return true;
        }
    }

    public static bool IsUploaded(LoadedPlugin plugin) => plugin.Owner == PluginOwner.Upload;

    /// <summary>Serves the uploads kept by an earlier run, after the folder's plugins are loaded.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        files.Open();
        if (!Directory.Exists(Root))
        {
            return Task.CompletedTask;
        }

        lock (_gate)
        {
            if (DurableFiles.DeleteLeftovers(Root) is > 0 and var leftovers)
            {
                LeftoversDeleted(logger, leftovers, Root);
            }

            foreach (var wasm in Directory.EnumerateFiles(Root, "*.wasm").Order(StringComparer.Ordinal))
            {
                MoveToFileStore(Path.GetFileNameWithoutExtension(wasm));
            }

            foreach (var record in Directory.EnumerateFiles(Root, "*" + RecordSuffix).Order(StringComparer.Ordinal))
            {
                TryRestore(Path.GetFileName(record)[..^RecordSuffix.Length]);
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Serves the upload <paramref name="name"/> kept on disk; a failure is logged and leaves it unserved.</summary>
    private void TryRestore(string name)
    {
        try
        {
            if (!ManifestReader.IsValidName(name) || !File.Exists(RecordPath(name)))
            {
                return;
            }

            var (hash, manifestBytes) = ReadRecord(RecordPath(name));
            var wasm = files.TryRead(hash) ?? throw new IOException($"its wasm ({hash}) is missing from {files.Root} or damaged");
            var manifest = ManifestReader.Parse(manifestBytes, name);
            if (catalog.Current.PluginsByName.TryGetValue(name, out var other) && !IsUploaded(other))
            {
                throw new UploadRefusedException($"plugin '{name}' is already served {PluginOwners.Describe(other)}");
            }

            Publish(name, Load(name, wasm, manifest));
            PluginRestored(logger, name);
        }
        catch (Exception ex) when (ex is UploadRefusedException or ManifestException or IOException or JsonException)
        {
            RestoreFailed(logger, name, ex.Message);
        }
    }

    /// <summary>
    /// An upload kept as <c>NAME.wasm</c> and <c>NAME.wafer.json</c> beside each other (the layout before the runtime
    /// had one file store) becomes a record and a wasm in <see cref="PluginFiles"/>; a failure is logged and leaves it.
    /// </summary>
    private void MoveToFileStore(string name)
    {
        var wasmPath = Path.Combine(Root, name + ".wasm");
        var manifestPath = Path.Combine(Root, name + PluginFolder.ManifestSuffix);
        try
        {
            var manifest = File.Exists(manifestPath) ? File.ReadAllBytes(manifestPath) : "{}"u8.ToArray();
            lock (files.Gate)
            {
                var hash = files.Put(File.ReadAllBytes(wasmPath));
                DurableFiles.Write(RecordPath(name), Record(hash, manifest));
            }

            File.Delete(wasmPath);
            File.Delete(manifestPath);
            DurableFiles.SyncFolder(Root);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            RestoreFailed(logger, name, ex.Message);
        }
    }

    private LoadedPlugin Load(string name, byte[] wasm, PluginManifest manifest)
    {
        try
        {
            return loader.Load(wasm, manifest, SourcePrefix + name);
        }
        catch (PluginLoadException ex)
        {
            throw new UploadRefusedException($"cannot load {name}: {ex.Message}", inner: ex);
        }
    }

    private void Publish(string name, LoadedPlugin loaded)
    {
        try
        {
            catalog.Upsert(loaded);
        }
        catch (PluginLoadException ex)
        {
            loaded.Retire();
            throw new UploadRefusedException(ex is PluginOwnedElsewhereException ? ex.Message : $"cannot serve {name}: {ex.Message}", conflict: true, inner: ex);
        }
    }

    private UploadNotStoredException NotStored(string name, Exception ex, bool replacing)
    {
        var diskFull = DurableFiles.IsDiskFull(ex);
        StoreWriteFailed(logger, name, Root, ex.Message);
        return new UploadNotStoredException(
            $"plugin '{name}' could not be kept under {Root}{(diskFull ? " (the disk is full)" : "")}: {ex.Message}. " +
            (replacing ? "Nothing was changed: the earlier upload is still served" : "It is not served"), diskFull, ex);
    }

    private const string RecordSuffix = ".upload.json";

    private string RecordPath(string name) => Path.Combine(Root, name + RecordSuffix);

    /// <summary>An upload's record: the hash of its wasm in <see cref="PluginFiles"/> and its manifest.</summary>
    private static byte[] Record(string hash, byte[] manifest) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["hash"] = hash, ["manifest"] = JsonNode.Parse(manifest) }, new JsonSerializerOptions { WriteIndented = true });

    private static (string Hash, byte[] Manifest) ReadRecord(string path)
    {
        var record = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject ?? throw new JsonException("the record is not a JSON object");
        var hash = record["hash"]?.GetValue<string>() ?? throw new JsonException("the record names no hash");
        var manifest = record["manifest"] as JsonObject ?? throw new JsonException("the record holds no manifest");
        return (hash, JsonSerializer.SerializeToUtf8Bytes(manifest));
    }

    private static byte[] PrepareManifest(byte[]? manifestJson, string name, IReadOnlyDictionary<string, string>? config)
    {
        JsonObject manifest;
        try
        {
            manifest = manifestJson is null or { Length: 0 }
                ? []
                : JsonNode.Parse(manifestJson, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                  ?? throw new UploadRefusedException("invalid manifest: it must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new UploadRefusedException($"invalid manifest: {ex.Message}", inner: ex);
        }

        manifest["name"] = name;
        manifest.Remove("wasm");
        if (config is { Count: > 0 })
        {
            var settings = manifest["config"] as JsonObject ?? [];
            manifest["config"] = settings;
            foreach (var (key, value) in config)
            {
                settings[key] = value;
            }
        }

        return JsonSerializer.SerializeToUtf8Bytes(manifest, new JsonSerializerOptions { WriteIndented = true });
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }

    [LoggerMessage(EventId = 2800, EventName = "PluginUploaded", Level = LogLevel.Information, Message = "Serving uploaded plugin {Plugin} ({Hash})")]
    private static partial void PluginUploaded(ILogger logger, string plugin, string hash);

    [LoggerMessage(EventId = 2801, EventName = "UploadedPluginRemoved", Level = LogLevel.Information, Message = "Removed uploaded plugin {Plugin}")]
    private static partial void PluginRemoved(ILogger logger, string plugin);

    [LoggerMessage(EventId = 2802, EventName = "UploadedPluginRestored", Level = LogLevel.Information, Message = "Serving uploaded plugin {Plugin} again from storage")]
    private static partial void PluginRestored(ILogger logger, string plugin);

    [LoggerMessage(EventId = 2803, EventName = "UploadedPluginRestoreFailed", Level = LogLevel.Warning,
        Message = "Could not serve uploaded plugin {Plugin} again: {Reason}")]
    private static partial void RestoreFailed(ILogger logger, string plugin, string reason);

    [LoggerMessage(EventId = 2804, EventName = "UploadStoreWriteFailed", Level = LogLevel.Error,
        Message = "Could not keep uploaded plugin {Plugin} under {Root}: {Reason}. The upload was refused and nothing changed")]
    private static partial void StoreWriteFailed(ILogger logger, string plugin, string root, string reason);

    [LoggerMessage(EventId = 2805, EventName = "UploadLeftoversDeleted", Level = LogLevel.Information,
        Message = "Deleted {Count} unfinished upload file(s) under {Root} left by an earlier run")]
    private static partial void LeftoversDeleted(ILogger logger, int count, string root);
}
