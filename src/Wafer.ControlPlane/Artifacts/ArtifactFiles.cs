using Wafer.Storage;

namespace Wafer.ControlPlane.Artifacts;

/// <summary>
/// Plugin wasm files on disk under <c>STORAGE/artifacts/</c>, one file per hash, written durably
/// (<see cref="DurableFiles"/>): a reader sees a whole artifact or none, a stored one survives a crash, and a write
/// that fails (a full disk) leaves nothing behind.
/// </summary>
public sealed class ArtifactFiles
{
    public ArtifactFiles(string storagePath)
    {
        Root = Path.Combine(Path.GetFullPath(storagePath), "artifacts");
        Directory.CreateDirectory(Root);
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            DurableFiles.DeleteLeftovers(folder); // from a crash mid-write
        }
    }

    public string Root { get; }

    public string PathOf(string hash) =>
        ArtifactHash.IsValid(hash) ? Path.Combine(Root, hash[..2], hash + ".wasm") : throw new ArgumentException($"'{hash}' is not a SHA-256 hex digest", nameof(hash));

    public bool Exists(string hash) => ArtifactHash.IsValid(hash) && File.Exists(PathOf(hash));

    /// <summary>
    /// Stores <paramref name="wasm"/> under its hash (idempotent) and returns the hash. Throws the
    /// <see cref="IOException"/> of a full disk (<see cref="DurableFiles.IsDiskFull"/>) with nothing stored.
    /// </summary>
    public async Task<string> WriteAsync(ReadOnlyMemory<byte> wasm, CancellationToken cancellationToken = default)
    {
        var hash = ArtifactHash.Of(wasm.Span);
        var path = PathOf(hash);
        if (File.Exists(path) && new FileInfo(path).Length == wasm.Length)
        {
            return hash;
        }

        DurableFiles.CreateFolder(Path.GetDirectoryName(path)!);
        await DurableFiles.WriteAsync(path, wasm, cancellationToken);
        return hash;
    }

    /// <summary>Opens a stored artifact for reading; null when there is none with that hash.</summary>
    public FileStream? OpenRead(string hash) =>
        Exists(hash) ? new FileStream(PathOf(hash), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous) : null;
}
