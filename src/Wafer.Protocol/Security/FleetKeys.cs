using System.Security.Cryptography;
using System.Text;

namespace Wafer.Protocol.Security;

/// <summary>
/// Keys derived from the fleet token (<c>--token</c> / <c>WAFER_TOKEN</c>), one per purpose and member, so a credential
/// made for one use (say, runtime A's signatures) is worthless for another (runtime B's, or the call port). Every
/// holder of the token can derive every key: the token is the fleet's root of trust (docs/security.md).
/// </summary>
public static class FleetKeys
{
    public const int KeyBytes = 32;

    /// <summary>The key for <paramref name="purpose"/>: HKDF-SHA256 of the token, with the purpose as its info.</summary>
    public static byte[] Derive(string token, string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        return HKDF.DeriveKey(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(token), KeyBytes,
            salt: Encoding.ASCII.GetBytes("wafer/v1"), info: Encoding.UTF8.GetBytes(purpose));
    }

    /// <summary>The signing key of runtime <paramref name="runtimeId"/>: what it publishes and the commands sent to it.</summary>
    public static byte[] Runtime(string token, string runtimeId) => Derive(token, "runtime " + runtimeId);

    /// <summary>The signing key of the orchestrator role.</summary>
    public static byte[] Orchestrator(string token) => Derive(token, "orchestrator");

    /// <summary>The key gateways prove themselves with on a runtime's call port (docs/call-protocol.md).</summary>
    public static byte[] CallPort(string token) => Derive(token, "call port");

    /// <summary>A password for the MQTT user <paramref name="username"/>, for brokers that check it by deriving it again.</summary>
    public static string BrokerPassword(string token, string username) =>
        Base64Url(Derive(token, "mqtt password " + username));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
