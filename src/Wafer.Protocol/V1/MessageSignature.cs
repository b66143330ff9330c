using System.Security.Cryptography;
using System.Text;
using Wafer.Protocol.Security;

namespace Wafer.Protocol.V1;

/// <summary>
/// Signatures of control messages (docs/protocol.md, "Signed messages"): the MQTT 5 user property
/// <see cref="UserProperty"/> carries <c>sha256=HEX</c>, the HMAC-SHA256 of the topic, a zero byte and the exact
/// payload, keyed with the sender's key derived from the fleet token (<see cref="FleetKeys"/>). What a runtime
/// publishes and the commands sent to it are keyed with that runtime's key, what the orchestrator publishes about
/// itself with the orchestrator's, so a signature cannot be moved to another runtime or another topic.
/// </summary>
public static class MessageSignature
{
    public const string UserProperty = "wafer-signature";
    private const string Prefix = "sha256=";
    private const int MacBytes = 32;

    /// <summary>The key that signs messages on <paramref name="topic"/>; null for a topic outside protocol version 1.</summary>
    public static byte[]? KeyFor(string token, string topic)
    {
        if (Topics.OrchestratorChannelOf(topic) is not null)
        {
            return FleetKeys.Orchestrator(token);
        }

        return Topics.TryParseAnyRealm(topic, out _, out var runtimeId, out _) ? FleetKeys.Runtime(token, runtimeId) : null;
    }

    public static string Compute(ReadOnlySpan<byte> key, string topic, ReadOnlySpan<byte> payload)
    {
        Span<byte> mac = stackalloc byte[MacBytes];
        Mac(key, topic, payload, mac);
        return Prefix + Convert.ToHexStringLower(mac);
    }

    /// <summary>True when <paramref name="signature"/> signs <paramref name="payload"/> on <paramref name="topic"/> with <paramref name="key"/>; compared in constant time.</summary>
    public static bool Matches(ReadOnlySpan<byte> key, string topic, ReadOnlySpan<byte> payload, string? signature)
    {
        if (signature is null || signature.Length != Prefix.Length + (MacBytes * 2) || !signature.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        Span<byte> given = stackalloc byte[MacBytes];
        if (Convert.FromHexString(signature.AsSpan(Prefix.Length), given, out _, out var written) != System.Buffers.OperationStatus.Done || written != MacBytes)
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[MacBytes];
        Mac(key, topic, payload, expected);
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    private static void Mac(ReadOnlySpan<byte> key, string topic, ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        // MQTT topic names cannot contain U+0000, so the zero byte ends the topic unambiguously.
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        hmac.AppendData(Encoding.UTF8.GetBytes(topic));
        hmac.AppendData([0]);
        hmac.AppendData(payload);
        hmac.GetHashAndReset(destination);
    }
}
