using System.Security.Cryptography;

namespace Wafer.ControlPlane.Artifacts;

/// <summary>Plugin versions are named by the SHA-256 of their wasm bytes, as 64 lower-case hex digits.</summary>
public static class ArtifactHash
{
    public static string Of(ReadOnlySpan<byte> wasm) => Convert.ToHexStringLower(SHA256.HashData(wasm));

    public static bool IsValid(string? hash)
    {
        if (hash is not { Length: 64 })
        {
            return false;
        }

        foreach (var c in hash)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }
}
