using Wafer.ControlPlane.Store;
using Wafer.Protocol.Binary;
using Wafer.Protocol.Manifest;
using Wafer.Storage;

namespace Wafer.ControlPlane.Artifacts;

/// <summary>Accepts uploaded plugins: checks them, stores the wasm on disk by hash and its metadata in the store.</summary>
public sealed class ArtifactService(ArtifactFiles files, IFleetStore store, TimeProvider time)
{
    public ArtifactFiles Files => files;

    /// <summary>
    /// Stores <paramref name="wasm"/> with its optional manifest. Throws <see cref="ArtifactRejectedException"/> saying
    /// what is wrong with the upload, <see cref="ArtifactNotStoredException"/> when the disk could not take it.
    /// </summary>
    public async Task<ArtifactRecord> StoreAsync(ReadOnlyMemory<byte> wasm, string? manifest, CancellationToken cancellationToken = default)
    {
        if (WasmBinary.HeaderProblem(wasm.Span) is { } problem)
        {
            throw new ArtifactRejectedException("the plugin is " + problem);
        }

        string? normalized = null;
        if (!string.IsNullOrWhiteSpace(manifest))
        {
            try
            {
                var name = ManifestNormalizer.NameIn(manifest) is { } n && ManifestReader.IsValidName(n) ? n : "plugin";
                normalized = ManifestNormalizer.Normalize(manifest, name);
            }
            catch (ManifestException ex)
            {
                throw new ArtifactRejectedException("manifest: " + ex.Message);
            }
        }

        string hash;
        try
        {
            hash = await files.WriteAsync(wasm, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            var diskFull = DurableFiles.IsDiskFull(ex);
            throw new ArtifactNotStoredException(
                $"the plugin could not be stored under {files.Root}{(diskFull ? " (the disk is full)" : "")}: {ex.Message}. Nothing was stored", diskFull, ex);
        }

        var record = new ArtifactRecord(hash, wasm.Length, normalized, time.GetUtcNow());
        await store.SaveArtifactAsync(record, cancellationToken);
        return await store.GetArtifactAsync(hash, cancellationToken) ?? record;
    }

    /// <summary>The stored artifact with <paramref name="hash"/>, when both its file and its record exist.</summary>
    public async Task<ArtifactRecord?> FindAsync(string hash, CancellationToken cancellationToken = default) =>
        files.Exists(hash) ? await store.GetArtifactAsync(hash, cancellationToken) : null;

    /// <summary>The newest stored artifact whose manifest is named <paramref name="name"/>.</summary>
    public async Task<ArtifactRecord?> FindByNameAsync(string name, CancellationToken cancellationToken = default) =>
        await store.FindArtifactByNameAsync(name, cancellationToken) is { } found && files.Exists(found.Hash) ? found : null;
}
