namespace Wafer.ControlPlane.Store;

/// <summary>One stored plugin wasm: its SHA-256 (lower-case hex), size and the manifest uploaded with it.</summary>
internal sealed record ArtifactRecord(string Hash, long Size, string? Manifest, DateTimeOffset CreatedAt);
