namespace Wafer.Storage.Artifacts;

/// <summary>
/// WebAssembly modules on disk named by their SHA-256 (<c>ROOT/ab/abcd….wasm</c>), each written durably
/// (<see cref="DurableFiles"/>): a reader sees a whole file or none, a stored one survives a crash, a write that fails
/// (a full disk) leaves nothing behind, and files a crash left half-written are deleted when the store opens. Storing
/// bytes already stored is a no-op, so any number of owners can share one copy.
/// </summary>
public sealed class ContentAddressedFiles
{
    public const string Extension = ".wasm";

    public ContentAddressedFiles(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
        var (files, bytes) = (0, 0L);
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            foreach (var leftover in Directory.EnumerateFiles(folder, "*" + DurableFiles.TemporarySuffix)) // from a crash mid-write
            {
                var length = LengthOfFile(leftover);
                if (DurableFiles.DeleteQuietly(leftover))
                {
                    (files, bytes) = (files + 1, bytes + length);
                }
            }
        }

        LeftoversDeleted = (files, bytes);
    }

    public string Root { get; }

    /// <summary>The temporary files of interrupted writes deleted when the store opened, and their size.</summary>
    public (int Files, long Bytes) LeftoversDeleted { get; }

    /// <summary>Where the file of <paramref name="hash"/> is (or would be); throws for a string that is not a SHA-256.</summary>
    public string PathOf(string hash) =>
        ContentHash.IsValid(hash) ? Path.Combine(Root, hash[..2], hash + Extension) : throw new ArgumentException($"'{hash}' is not a SHA-256 hex digest", nameof(hash));

    public bool Exists(string hash) => ContentHash.IsValid(hash) && File.Exists(PathOf(hash));

    /// <summary>
    /// Stores <paramref name="bytes"/> under their hash (a no-op when stored already) and returns the hash. Throws the
    /// <see cref="IOException"/> of a full disk (<see cref="DurableFiles.IsDiskFull"/>) with nothing stored.
    /// </summary>
    public async Task<string> PutAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        var hash = ContentHash.Of(bytes.Span);
        var path = PathOf(hash);
        if (!IsStored(path, bytes.Length))
        {
            DurableFiles.CreateFolder(Path.GetDirectoryName(path)!);
            await DurableFiles.WriteAsync(path, bytes, cancellationToken);
        }

        return hash;
    }

    /// <summary>Stores <paramref name="bytes"/> under their hash (see <see cref="PutAsync"/>), synchronously.</summary>
    public string Put(ReadOnlySpan<byte> bytes)
    {
        var hash = ContentHash.Of(bytes);
        var path = PathOf(hash);
        if (!IsStored(path, bytes.Length))
        {
            DurableFiles.CreateFolder(Path.GetDirectoryName(path)!);
            DurableFiles.Write(path, bytes);
        }

        return hash;
    }

    /// <summary>Opens a stored file for reading; null when there is none with that hash.</summary>
    public FileStream? OpenRead(string hash)
    {
        if (!ContentHash.IsValid(hash))
        {
            return null;
        }

        try
        {
            return new FileStream(PathOf(hash), FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>The bytes stored under <paramref name="hash"/> when they still hash to it; null when missing or damaged.</summary>
    public byte[]? TryRead(string hash)
    {
        if (!Exists(hash))
        {
            return null;
        }

        try
        {
            var bytes = File.ReadAllBytes(PathOf(hash));
            return ContentHash.Of(bytes) == hash ? bytes : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Deletes the file of <paramref name="hash"/> and flushes its folder; false when there was none.</summary>
    public bool Delete(string hash)
    {
        if (!Exists(hash))
        {
            return false;
        }

        var path = PathOf(hash);
        File.Delete(path);
        DurableFiles.SyncFolder(Path.GetDirectoryName(path)!); // else a power cut could bring it back
        return true;
    }

    /// <summary>The hashes stored, in no particular order.</summary>
    public IEnumerable<string> List()
    {
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*" + Extension))
            {
                var hash = Path.GetFileNameWithoutExtension(file);
                if (ContentHash.IsValid(hash) && hash[..2] == Path.GetFileName(folder))
                {
                    yield return hash;
                }
            }
        }
    }

    /// <summary>The size of the file of <paramref name="hash"/>; 0 when there is none.</summary>
    public long LengthOf(string hash) => Exists(hash) ? LengthOfFile(PathOf(hash)) : 0;

    private static long LengthOfFile(string path)
    {
        try
        {
            return new FileInfo(path).Length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static bool IsStored(string path, int length) => File.Exists(path) && new FileInfo(path).Length == length;
}
