using System.Security.Cryptography;
using System.Text;

namespace Wafer.Protocol.V1;

/// <summary>
/// Commands signed with the fleet's control token (docs/protocol.md, "Signed commands"): the orchestrator puts
/// <c>sha256=HEX(HMAC-SHA256(token, payload))</c> in the MQTT 5 user property <see cref="UserProperty"/>, and a runtime
/// that has the token carries out only commands whose signature matches. Anyone with broker credentials alone can
/// then publish to a runtime's command topic without being obeyed.
/// </summary>
public static class CommandSignature
{
    public const string UserProperty = "wafer-signature";
    private const string Prefix = "sha256=";

    public static string Compute(string token, ReadOnlySpan<byte> payload) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), payload));

    /// <summary>True when <paramref name="signature"/> is the signature of <paramref name="payload"/>; compared in constant time.</summary>
    public static bool Matches(string token, ReadOnlySpan<byte> payload, string? signature) =>
        signature is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Compute(token, payload)), Encoding.ASCII.GetBytes(signature));
}
