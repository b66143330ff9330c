namespace Wafer.ControlPlane.Artifacts;

/// <summary>
/// Plugin wasm files on disk under <c>STORAGE/artifacts/</c>, one file per hash. A file is written to a temporary
/// name, flushed to the disk and renamed into place, so a reader sees a whole artifact or none.
/// </summary>
public sealed class ArtifactFiles
{
    public ArtifactFiles(string storagePath)
    {
        Root = Path.Combine(Path.GetFullPath(storagePath), "artifacts");
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string PathOf(string hash) =>
        ArtifactHash.IsValid(hash) ? Path.Combine(Root, hash[..2], hash + ".wasm") : throw new ArgumentException($"'{hash}' is not a SHA-256 hex digest", nameof(hash));

    public bool Exists(string hash) => ArtifactHash.IsValid(hash) && File.Exists(PathOf(hash));

    /// <summary>Stores <paramref name="wasm"/> under its hash (idempotent) and returns the hash.</summary>
    public async Task<string> WriteAsync(ReadOnlyMemory<byte> wasm, CancellationToken cancellationToken = default)
    {
        var hash = ArtifactHash.Of(wasm.Span);
        var path = PathOf(hash);
        if (File.Exists(path) && new FileInfo(path).Length == wasm.Length)
        {
            return hash;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await file.WriteAsync(wasm, cancellationToken);
                await file.FlushAsync(cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        return hash;
    }

    /// <summary>Opens a stored artifact for reading; null when there is none with that hash.</summary>
    public FileStream? OpenRead(string hash) =>
        Exists(hash) ? new FileStream(PathOf(hash), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous) : null;
}
