namespace Wafer.ControlPlane.Artifacts;

/// <summary>
/// Where the orchestrator keeps plugin wasm, named by SHA-256: a folder (<see cref="ArtifactFiles"/>) or an S3 bucket
/// (<see cref="S3ArtifactStore"/>), which several orchestrators can share. A put of a stored hash is a no-op, and an
/// artifact becomes visible only whole. Failures of the store itself are <see cref="ArtifactStoreException"/>s.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Where the artifacts are, for messages: a folder, or <c>s3://BUCKET/PREFIX/</c>.</summary>
    string Location { get; }

    /// <summary>Stores <paramref name="wasm"/> under its SHA-256 (a no-op when stored already) and returns the hash.</summary>
    Task<string> PutAsync(ReadOnlyMemory<byte> wasm, CancellationToken cancellationToken = default);

    /// <summary>The artifact's bytes as a stream, verified against its hash; null when there is none.</summary>
    Task<Stream?> OpenAsync(string hash, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>Deletes the artifact; false when there was none.</summary>
    Task<bool> DeleteAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>Every stored hash, in no particular order.</summary>
    IAsyncEnumerable<string> ListAsync(CancellationToken cancellationToken = default);
}
