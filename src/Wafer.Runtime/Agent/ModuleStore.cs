using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Hosting;
using Wafer.Storage;

namespace Wafer.Runtime.Agent;

/// <summary>
/// Keeps placed modules under <c>STORAGE/modules</c>: one <c>.json</c> record per module, naming its wasm in the
/// runtime's one file store (<see cref="PluginFiles"/>, shared with uploads). Every file is written durably
/// (<see cref="DurableFiles"/>), so a crash never leaves half a record, and a write that fails (a full disk) leaves
/// nothing behind. A module whose copy could not be kept is still served: the orchestrator places it again when this
/// runtime announces itself after a restart without it.
/// </summary>
public sealed partial class ModuleStore(IOptions<RuntimeOptions> options, PluginFiles files, ILogger<ModuleStore> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { RespectNullableAnnotations = true };

    public string Root { get; } = Path.Combine(options.Value.StoragePath, "modules");

    /// <summary>The module's wasm when stored and whole (it still hashes to <paramref name="hash"/>); else null.</summary>
    public byte[]? TryReadArtifact(string hash) => files.TryRead(hash);

    /// <param name="wasm">The module's bytes, stored once per hash; null when another module already stored them.</param>
    public void Save(StoredModule module, byte[]? wasm)
    {
        try
        {
            lock (files.Gate)
            {
                DurableFiles.CreateFolder(Root);
                if (wasm is not null && files.Put(wasm) is var stored && stored != module.Hash.ToLowerInvariant())
                {
                    throw new IOException($"the wasm hashes to {stored}, not {module.Hash}");
                }

                DurableFiles.Write(RecordPath(module.ModuleId), JsonSerializer.SerializeToUtf8Bytes(module, Json));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            SaveFailed(logger, module.ModuleId, Root, ex.Message);
            if (wasm is not null)
            {
                files.DeleteIfUnused(module.Hash); // nothing half-kept
            }
        }
    }

    /// <summary>Records that a program module's program has ended for good, so a restart does not run it again.</summary>
    public void MarkEnded(string moduleId)
    {
        var path = RecordPath(moduleId);
        try
        {
            lock (files.Gate)
            {
                if (File.Exists(path) && JsonSerializer.Deserialize<StoredModule>(File.ReadAllBytes(path), Json) is { Ended: false } module)
                {
                    DurableFiles.Write(path, JsonSerializer.SerializeToUtf8Bytes(module with { Ended = true }, Json));
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            SaveFailed(logger, moduleId, Root, ex.Message);
        }
    }

    /// <summary>Forgets a module; its wasm goes too when no other module or upload names it.</summary>
    /// <param name="hashStillUsed">Another module being placed uses the hash (its record may not be written yet).</param>
    public void Delete(string moduleId, string hash, bool hashStillUsed)
    {
        try
        {
            File.Delete(RecordPath(moduleId));
            DurableFiles.SyncFolder(Root); // else a power cut could bring the deleted module back
            if (!hashStillUsed)
            {
                files.DeleteIfUnused(hash);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            SaveFailed(logger, moduleId, Root, ex.Message);
        }
    }

    /// <summary>Every readable record; an unreadable one is logged and deleted, as are files a crash left unfinished.</summary>
    public IReadOnlyList<StoredModule> LoadAll()
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        DurableFiles.DeleteLeftovers(Root);
        files.Open();

        var modules = new List<StoredModule>();
        foreach (var path in Directory.EnumerateFiles(Root, "*.json").Order(StringComparer.Ordinal))
        {
            try
            {
                modules.Add(JsonSerializer.Deserialize<StoredModule>(File.ReadAllBytes(path), Json)
                            ?? throw new JsonException("the record is null"));
            }
            catch (Exception ex) when (ex is JsonException or IOException)
            {
                RecordUnreadable(logger, path, ex.Message);
                TryDelete(path);
            }
        }

        return modules;
    }

    private string RecordPath(string moduleId) =>
        Path.Combine(Root, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(moduleId)))[..32] + ".json");

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }

    [LoggerMessage(EventId = 2720, EventName = "ModuleStoreWriteFailed", Level = LogLevel.Warning,
        Message = "Could not update the stored copy of module {ModuleId} under {Root}: {Reason}. It is served; after a restart the orchestrator places it again")]
    private static partial void SaveFailed(ILogger logger, string moduleId, string root, string reason);

    [LoggerMessage(EventId = 2721, EventName = "ModuleRecordUnreadable", Level = LogLevel.Warning,
        Message = "Dropped unreadable module record {Path}: {Reason}")]
    private static partial void RecordUnreadable(ILogger logger, string path, string reason);
}
