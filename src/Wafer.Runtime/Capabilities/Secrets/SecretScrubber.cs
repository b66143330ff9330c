using System.Text;
using System.Text.Encodings.Web;

namespace Wafer.Runtime.Capabilities.Secrets;

/// <summary>
/// Replaces secret values with <c>[redacted]</c>: in error text, and in responses from upstreams that echo what
/// they were sent. Values shorter than <see cref="MinLength"/> are left alone (they would match everywhere).
/// </summary>
public static class SecretScrubber
{
    public const int MinLength = 4;
    public const string Redacted = "[redacted]";

    private static readonly byte[] RedactedBytes = Encoding.UTF8.GetBytes(Redacted);

    public static string Scrub(string text, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (secret.Length >= MinLength)
            {
                text = text.Replace(secret, Redacted, StringComparison.Ordinal);
            }
        }

        return text;
    }

    /// <summary>Scrubs UTF-8 bytes, matching each secret as is and as it reads inside a JSON string.</summary>
    public static byte[] Scrub(byte[] utf8, IReadOnlyList<string> secrets)
    {
        foreach (var secret in secrets)
        {
            if (secret.Length < MinLength)
            {
                continue;
            }

            utf8 = Replace(utf8, Encoding.UTF8.GetBytes(secret));
            var escaped = JavaScriptEncoder.Default.Encode(secret);
            if (escaped != secret)
            {
                utf8 = Replace(utf8, Encoding.UTF8.GetBytes(escaped));
            }

            var relaxed = JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(secret);
            if (relaxed != secret && relaxed != escaped)
            {
                utf8 = Replace(utf8, Encoding.UTF8.GetBytes(relaxed));
            }
        }

        return utf8;
    }

    private static byte[] Replace(byte[] data, byte[] needle)
    {
        var at = data.AsSpan().IndexOf(needle);
        if (at < 0)
        {
            return data;
        }

        using var output = new MemoryStream(data.Length);
        var rest = data.AsSpan();
        while (at >= 0)
        {
            output.Write(rest[..at]);
            output.Write(RedactedBytes);
            rest = rest[(at + needle.Length)..];
            at = rest.IndexOf(needle);
        }

        output.Write(rest);
        return output.ToArray();
    }
}
