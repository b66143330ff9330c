using System.Security.Cryptography;

namespace Wafer.Storage.Artifacts;

/// <summary>Stored modules are named by the SHA-256 of their bytes, as 64 lower-case hex digits.</summary>
public static class ContentHash
{
    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

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
