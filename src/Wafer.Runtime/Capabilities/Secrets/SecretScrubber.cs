using System.Net;
using System.Text;
using System.Text.Encodings.Web;

namespace Wafer.Runtime.Capabilities.Secrets;

/// <summary>
/// Replaces secret values with <c>[redacted]</c>: in error text, and in responses from upstreams that echo what
/// they were sent. A secret is matched as it is and in the encodings an upstream commonly echoes it in (see
/// <see cref="Forms"/>), each also as it reads inside a JSON string. An upstream that transforms a secret any other way
/// (encrypts it, splits it, encodes it twice) can still reveal it: docs/security.md, "Secrets". Values shorter than
/// <see cref="MinLength"/> are left alone (they would match everywhere).
/// </summary>
internal static class SecretScrubber
{
    public const int MinLength = 4;
    public const string Redacted = "[redacted]";

    private static readonly byte[] RedactedBytes = Encoding.UTF8.GetBytes(Redacted);

    /// <summary>
    /// The spellings of <paramref name="secret"/> that are scrubbed, longest first: as is; base64 and base64url of its
    /// UTF-8 bytes (with and without padding); hex in lower and upper case; percent-encoded (RFC 3986, with upper- and
    /// lower-case hex digits) and form-encoded (spaces as <c>+</c>).
    /// </summary>
    public static IReadOnlyList<string> Forms(string secret)
    {
        var bytes = Encoding.UTF8.GetBytes(secret);
        var base64 = Convert.ToBase64String(bytes);
        var base64Url = base64.TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var percent = Uri.EscapeDataString(secret);
        string[] forms =
        [
            secret, base64, base64.TrimEnd('='), base64Url, Convert.ToHexStringLower(bytes), Convert.ToHexString(bytes),
            percent, LowerHexEscapes(percent), WebUtility.UrlEncode(secret), LowerHexEscapes(WebUtility.UrlEncode(secret)),
        ];
        return [.. forms.Where(f => f.Length >= MinLength).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Every form (<see cref="Forms"/>) of every secret long enough to scrub, longest first.</summary>
    public static IReadOnlyList<string> AllForms(IReadOnlyList<string> secrets) =>
        [.. secrets.Where(s => s.Length >= MinLength).SelectMany(Forms).Distinct(StringComparer.Ordinal).OrderByDescending(f => f.Length)];

    public static string Scrub(string text, IReadOnlyList<string> secrets) => ScrubForms(text, AllForms(secrets));

    /// <summary>Scrubs UTF-8 bytes, matching each form of each secret as is and as it reads inside a JSON string.</summary>
    public static byte[] Scrub(byte[] utf8, IReadOnlyList<string> secrets) => ScrubForms(utf8, AllForms(secrets));

    /// <summary>Replaces each of <paramref name="forms"/> (from <see cref="AllForms"/>) in <paramref name="text"/>.</summary>
    public static string ScrubForms(string text, IReadOnlyList<string> forms)
    {
        foreach (var form in forms)
        {
            text = text.Replace(form, Redacted, StringComparison.Ordinal);
        }

        return text;
    }

    /// <summary>Replaces each of <paramref name="forms"/> in UTF-8 bytes, as it is and as it reads inside a JSON string.</summary>
    public static byte[] ScrubForms(byte[] utf8, IReadOnlyList<string> forms)
    {
        foreach (var form in forms)
        {
            utf8 = Replace(utf8, Encoding.UTF8.GetBytes(form));
            var escaped = JavaScriptEncoder.Default.Encode(form);
            if (escaped != form)
            {
                utf8 = Replace(utf8, Encoding.UTF8.GetBytes(escaped));
            }

            var relaxed = JavaScriptEncoder.UnsafeRelaxedJsonEscaping.Encode(form);
            if (relaxed != form && relaxed != escaped)
            {
                utf8 = Replace(utf8, Encoding.UTF8.GetBytes(relaxed));
            }
        }

        return utf8;
    }

    /// <summary><c>%2F</c> as <c>%2f</c>: some encoders write the hex digits of an escape in lower case.</summary>
    private static string LowerHexEscapes(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i + 2 < chars.Length; i++)
        {
            if (chars[i] == '%')
            {
                chars[i + 1] = char.ToLowerInvariant(chars[i + 1]);
                chars[i + 2] = char.ToLowerInvariant(chars[i + 2]);
                i += 2;
            }
        }

        return new string(chars);
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
