using Wafer.Storage.Artifacts;

namespace Wafer.ControlPlane.Artifacts;

/// <summary>Plugin versions are named by the SHA-256 of their wasm bytes, as 64 lower-case hex digits (<see cref="ContentHash"/>).</summary>
internal static class ArtifactHash
{
    public static string Of(ReadOnlySpan<byte> wasm) => ContentHash.Of(wasm);

    public static bool IsValid(string? hash) => ContentHash.IsValid(hash);
}
