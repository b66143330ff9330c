using System.Text.Json;
using Microsoft.Extensions.Logging;
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
/// between them. When the store opens at start (<see cref="Open"/>), it deletes what a crash left: temporary files of
/// interrupted writes, and a wasm stored just before a crash that kept its record from being written, which no record
/// names and nothing else would ever delete.
/// </summary>
public sealed partial class PluginFiles
{
    private readonly string[] _recordFolders;
    private readonly Lazy<ContentAddressedFiles> _files;
    private readonly ILogger<PluginFiles> _logger;
    private int _swept;

    public PluginFiles(IOptions<RuntimeOptions> options, ILogger<PluginFiles> logger)
    {
        _logger = logger;
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

    private bool IsNamed(string hash) => NamedHashes().Contains(hash);

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

    /// <summary>
    /// Opens the store, when it exists, once records can be read (at start, before anything is uploaded or placed): the
    /// temporary files of interrupted writes and every wasm no record names are deleted, and each kind logged with how
    /// many files and bytes went. Only the first call does anything.
    /// </summary>
    public void Open()
    {
        if (!Directory.Exists(Root) || Interlocked.Exchange(ref _swept, 1) == 1)
        {
            return;
        }

        var files = _files.Value;
        if (files.LeftoversDeleted is { Files: > 0 } leftovers)
        {
            LeftoversDeleted(_logger, leftovers.Files, leftovers.Bytes, Root);
        }

        var (count, bytes) = (0, 0L);
        lock (Gate) // no upload or placement between reading the records and deleting
        {
            var named = NamedHashes();
            foreach (var hash in files.List().ToList())
            {
                if (named.Contains(hash))
                {
                    continue;
                }

                var length = files.LengthOf(hash);
                try
                {
                    if (files.Delete(hash))
                    {
                        (count, bytes) = (count + 1, bytes + length);
                        OrphanDeleted(_logger, hash, length);
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    OrphanNotDeleted(_logger, hash, ex.Message);
                }
            }
        }

        if (count > 0)
        {
            OrphansDeleted(_logger, count, bytes, Root);
        }
    }

    /// <summary>Every hash a record of an upload or a placed module names.</summary>
    private HashSet<string> NamedHashes()
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var folder in _recordFolders.Where(Directory.Exists))
        {
            foreach (var record in Directory.EnumerateFiles(folder, "*.json"))
            {
                if (HashIn(record) is { } hash)
                {
                    named.Add(hash);
                }
            }
        }

        return named;
    }

    [LoggerMessage(EventId = 2806, EventName = "PluginFileLeftoversDeleted", Level = LogLevel.Information,
        Message = "Deleted {Count} unfinished wasm file(s) ({Bytes} bytes) under {Root} left by an interrupted write")]
    private static partial void LeftoversDeleted(ILogger logger, int count, long bytes, string root);

    [LoggerMessage(EventId = 2807, EventName = "OrphanPluginFilesDeleted", Level = LogLevel.Information,
        Message = "Deleted {Count} wasm file(s) ({Bytes} bytes) under {Root} that no upload or placed module names (stored just before a crash)")]
    private static partial void OrphansDeleted(ILogger logger, int count, long bytes, string root);

    [LoggerMessage(EventId = 2809, EventName = "OrphanPluginFileDeleted", Level = LogLevel.Information,
        Message = "Deleted wasm {Hash} ({Bytes} bytes): no upload or placed module names it")]
    private static partial void OrphanDeleted(ILogger logger, string hash, long bytes);

    [LoggerMessage(EventId = 2808, EventName = "OrphanPluginFileNotDeleted", Level = LogLevel.Warning,
        Message = "Could not delete wasm {Hash}, which no upload or placed module names: {Reason}")]
    private static partial void OrphanNotDeleted(ILogger logger, string hash, string reason);
}
