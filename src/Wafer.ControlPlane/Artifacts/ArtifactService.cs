using Wafer.ControlPlane.Store;
using Wafer.Protocol.Binary;
using Wafer.Protocol.Manifest;

namespace Wafer.ControlPlane.Artifacts;

/// <summary>
/// Accepts uploaded plugins: checks them, stores the wasm in the artifact store by hash (a folder or S3) and its
/// metadata in the fleet store.
/// </summary>
internal sealed class ArtifactService(IArtifactStore artifacts, IFleetStore store, TimeProvider time)
{
    public IArtifactStore Store => artifacts;

    /// <summary>
    /// Stores <paramref name="wasm"/> with its optional manifest. Throws <see cref="ArtifactRejectedException"/> saying
    /// what is wrong with the upload, <see cref="ArtifactNotStoredException"/> when the store could not take it.
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
            hash = await artifacts.PutAsync(wasm, cancellationToken);
        }
        catch (ArtifactStoreException ex)
        {
            throw new ArtifactNotStoredException(ex.Message + ". Nothing was stored", ex.Fault, ex);
        }

        var record = new ArtifactRecord(hash, wasm.Length, normalized, time.GetUtcNow());
        await store.SaveArtifactAsync(record, cancellationToken);
        return await store.GetArtifactAsync(hash, cancellationToken) ?? record;
    }

    /// <summary>
    /// The stored artifact with <paramref name="hash"/>, when it is in the artifact store. One another orchestrator
    /// sharing the store put there is recorded here on first use (without a manifest: a deployment sends its own).
    /// Throws <see cref="ArtifactStoreException"/> when the store cannot be read.
    /// </summary>
    public async Task<ArtifactRecord?> FindAsync(string hash, CancellationToken cancellationToken = default)
    {
        if (await store.GetArtifactAsync(hash, cancellationToken) is { } record)
        {
            return await artifacts.ExistsAsync(hash, cancellationToken) ? record : null;
        }

        await using var stream = await artifacts.OpenAsync(hash, cancellationToken);
        if (stream is null)
        {
            return null;
        }

        await store.SaveArtifactAsync(new ArtifactRecord(hash, stream.Length, null, time.GetUtcNow()), cancellationToken);
        return await store.GetArtifactAsync(hash, cancellationToken);
    }

    /// <summary>The newest stored artifact whose manifest is named <paramref name="name"/>.</summary>
    public async Task<ArtifactRecord?> FindByNameAsync(string name, CancellationToken cancellationToken = default) =>
        await store.FindArtifactByNameAsync(name, cancellationToken) is { } found && await artifacts.ExistsAsync(found.Hash, cancellationToken) ? found : null;
}
