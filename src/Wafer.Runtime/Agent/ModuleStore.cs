using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Hosting;
using Wafer.Storage;

namespace Wafer.Runtime.Agent;

/// <summary>
/// Keeps placed modules under <c>STORAGE/modules</c>: one <c>.json</c> record per module and the wasm once per hash in
/// <c>artifacts/</c>. Every file is written durably (<see cref="DurableFiles"/>), so a crash never leaves half a record,
/// and a write that fails (a full disk) leaves nothing behind. A module whose copy could not be kept is still served:
/// the orchestrator places it again when this runtime announces itself after a restart without it.
/// </summary>
public sealed partial class ModuleStore(IOptions<RuntimeOptions> options, ILogger<ModuleStore> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { RespectNullableAnnotations = true };

    public string Root { get; } = Path.Combine(options.Value.StoragePath, "modules");

    private string Artifacts => Path.Combine(Root, "artifacts");

    public byte[]? TryReadArtifact(string hash)
    {
        var path = ArtifactPath(hash);
        try
        {
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <param name="wasm">The module's bytes, written once per hash; null when another module already stored them.</param>
    public void Save(StoredModule module, byte[]? wasm)
    {
        try
        {
            DurableFiles.CreateFolder(Root);
            DurableFiles.CreateFolder(Artifacts);
            var artifact = ArtifactPath(module.Hash);
            if (wasm is not null && !File.Exists(artifact))
            {
                DurableFiles.Write(artifact, wasm);
            }

            DurableFiles.Write(RecordPath(module.ModuleId), JsonSerializer.SerializeToUtf8Bytes(module, Json));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            SaveFailed(logger, module.ModuleId, Root, ex.Message);
        }
    }

    /// <summary>Forgets a module; its artifact goes too unless <paramref name="hashStillUsed"/>.</summary>
    public void Delete(string moduleId, string hash, bool hashStillUsed)
    {
        try
        {
            File.Delete(RecordPath(moduleId));
            if (!hashStillUsed)
            {
                File.Delete(ArtifactPath(hash));
            }

            DurableFiles.SyncFolder(Root); // else a power cut could bring the deleted module back
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
        DurableFiles.DeleteLeftovers(Artifacts);

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

    private string ArtifactPath(string hash) => Path.Combine(Artifacts, hash.ToLowerInvariant() + ".wasm");

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
