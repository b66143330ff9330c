using System.Globalization;
using System.Text;

namespace Wafer.Wasm;

/// <summary>
/// Text a guest hands the host (log lines, error and abort messages), cut to a byte limit with a visible marker
/// saying how much was left out, so no guest can make a log line or a response as large as its memory.
/// </summary>
public static class GuestText
{
    /// <summary>Decodes UTF-8, cutting it on a character boundary at <paramref name="maxBytes"/> and marking the cut.</summary>
    public static string Utf8(ReadOnlySpan<byte> bytes, int maxBytes)
    {
        if (bytes.Length <= maxBytes)
        {
            return Encoding.UTF8.GetString(bytes);
        }

        var cut = Boundary(bytes, maxBytes);
        return Encoding.UTF8.GetString(bytes[..cut]) + Marker(bytes.Length - cut, "bytes");
    }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="maxBytes"/> bytes of UTF-8 and marks the cut; short text is returned as is.</summary>
    public static string Cut(string text, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Fits(text, maxBytes) ? text : Utf8(Encoding.UTF8.GetBytes(text), maxBytes);
    }

    /// <summary>The longest start of <paramref name="text"/> that is at most <paramref name="maxBytes"/> bytes of UTF-8, unmarked.</summary>
    public static string Prefix(string text, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Fits(text, maxBytes))
        {
            return text;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        return Encoding.UTF8.GetString(bytes.AsSpan(0, Boundary(bytes, maxBytes)));
    }

    /// <summary>The marker appended to cut text: <c>… [truncated: 12,345 more bytes]</c>.</summary>
    public static string Marker(long more, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"… [truncated: {more:N0} more {unit}]");

    private static bool Fits(string text, int maxBytes) => text.Length <= maxBytes / 3 || Encoding.UTF8.GetByteCount(text) <= maxBytes;

    /// <summary>The largest prefix of at most <paramref name="maxBytes"/> that ends on a UTF-8 character boundary.</summary>
    private static int Boundary(ReadOnlySpan<byte> bytes, int maxBytes)
    {
        var cut = maxBytes;
        while (cut > 0 && (bytes[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        return cut;
    }
}
