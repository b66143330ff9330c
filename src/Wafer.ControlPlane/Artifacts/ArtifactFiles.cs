using System.Runtime.CompilerServices;
using Wafer.Storage;
using Wafer.Storage.Artifacts;

namespace Wafer.ControlPlane.Artifacts;

/// <summary>
/// The artifact store in a folder, <c>STORAGE/artifacts/</c>: one file per hash, written durably
/// (<see cref="ContentAddressedFiles"/>): a reader sees a whole artifact or none, a stored one survives a crash, a write
/// that fails (a full disk) leaves nothing behind, and what a crash left half-written is deleted at start.
/// </summary>
internal sealed class ArtifactFiles : IArtifactStore
{
    private readonly ContentAddressedFiles _files;

    /// <summary>The store in <c>artifacts/</c> under the orchestrator's storage folder.</summary>
    public ArtifactFiles(string storagePath)
        : this(new ContentAddressedFiles(Path.Combine(Path.GetFullPath(storagePath), "artifacts")))
    {
    }

    private ArtifactFiles(ContentAddressedFiles files) => _files = files;

    /// <summary>The store in <paramref name="folder"/> itself (<c>--artifacts PATH</c>).</summary>
    public static ArtifactFiles InFolder(string folder) => new(new ContentAddressedFiles(folder));

    public string Root => _files.Root;

    public string Location => _files.Root;

    public string PathOf(string hash) => _files.PathOf(hash);

    public bool Exists(string hash) => _files.Exists(hash);

    /// <summary>Opens a stored artifact for reading; null when there is none with that hash.</summary>
    public FileStream? OpenRead(string hash) => _files.OpenRead(hash);

    public async Task<string> PutAsync(ReadOnlyMemory<byte> wasm, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _files.PutAsync(wasm, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var diskFull = DurableFiles.IsDiskFull(ex);
            throw new ArtifactStoreException(
                $"the plugin could not be stored under {Root}{(diskFull ? " (the disk is full)" : "")}: {ex.Message}",
                diskFull ? ArtifactStoreFault.DiskFull : ArtifactStoreFault.Failed, ex);
        }
    }

    public Task<Stream?> OpenAsync(string hash, CancellationToken cancellationToken = default) => Task.FromResult<Stream?>(_files.OpenRead(hash));

    public Task<bool> ExistsAsync(string hash, CancellationToken cancellationToken = default) => Task.FromResult(_files.Exists(hash));

    public Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken = default) => Task.FromResult(_files.Delete(hash));

    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var hash in _files.List())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return hash;
        }

        await Task.CompletedTask;
    }
}
