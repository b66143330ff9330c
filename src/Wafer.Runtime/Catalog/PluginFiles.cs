using System.Text.Json;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Hosting;
using Wafer.Storage.Artifacts;

namespace Wafer.Runtime.Catalog;

/// <summary>
/// The one file store of this runtime's uploaded plugins and placed modules: each wasm once, named by its SHA-256, under
/// <c>STORAGE/artifacts</c> (<see cref="ContentAddressedFiles"/>: durable writes, leftovers of a crash removed). Uploads
/// (<c>STORAGE/uploads/NAME.json</c>) and placed modules (<c>STORAGE/modules/*.json</c>) keep records naming a hash; a
/// wasm is deleted only when no record names it any more, so an upload and a placement of the same bytes share a copy.
/// Writers that put a wasm and then write their record hold <see cref="Gate"/> across both, so a deletion never falls
/// between them.
/// </summary>
public sealed class PluginFiles
{
    private readonly string[] _recordFolders;
    private readonly Lazy<ContentAddressedFiles> _files;

    public PluginFiles(IOptions<RuntimeOptions> options)
    {
        var storage = options.Value.StoragePath;
        Root = Path.Combine(storage, "artifacts");
        _recordFolders = [Path.Combine(storage, "modules"), Path.Combine(storage, "uploads")];
        _files = new Lazy<ContentAddressedFiles>(() => new ContentAddressedFiles(Root)); // created on first use: a runtime that never stores one has no folder
    }

    public string Root { get; }

    /// <summary>Held across putting a wasm and writing the record that names it, and by <see cref="DeleteIfUnused"/>.</summary>
    public Lock Gate { get; } = new();

    /// <summary>Stores <paramref name="wasm"/> (a no-op when stored already) and returns its hash; throws the disk's <see cref="IOException"/>.</summary>
    public string Put(ReadOnlySpan<byte> wasm) => _files.Value.Put(wasm);

    /// <summary>The wasm stored under <paramref name="hash"/> when it still hashes to it; null when missing or damaged.</summary>
    public byte[]? TryRead(string hash) => _files.Value.TryRead(hash.ToLowerInvariant());

    /// <summary>Deletes the wasm of <paramref name="hash"/> unless a record of an upload or a placed module still names it.</summary>
    public void DeleteIfUnused(string hash)
    {
        hash = hash.ToLowerInvariant();
        lock (Gate)
        {
            if (ContentHash.IsValid(hash) && !IsNamed(hash))
            {
                _files.Value.Delete(hash);
            }
        }
    }

    private bool IsNamed(string hash)
    {
        foreach (var folder in _recordFolders.Where(Directory.Exists))
        {
            foreach (var record in Directory.EnumerateFiles(folder, "*.json"))
            {
                if (HashIn(record) == hash)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string? HashIn(string record)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(record));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("hash", out var hash) && hash.ValueKind == JsonValueKind.String
                ? hash.GetString()!.ToLowerInvariant()
                : null;
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return null; // deleted meanwhile, or not a record: it keeps nothing alive
        }
    }

    /// <summary>Files a crash left half-written in the store are removed when it opens; this opens it, when it exists.</summary>
    public void Open()
    {
        if (Directory.Exists(Root))
        {
            _ = _files.Value;
        }
    }
}
