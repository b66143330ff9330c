using System.Buffers.Text;
using System.Text.Unicode;

namespace Wafer.Runtime.Invocation;

/// <summary>
/// Whether a JSON string is text: its bytes valid UTF-8, and its <c>\u</c> escapes naming no lone surrogate
/// (<c>"\ud800"</c> parses as JSON but is no Unicode text, and no guest or client can hold it).
/// </summary>
internal static class JsonStrings
{
    /// <summary><paramref name="raw"/> is the string as written in the JSON (escapes not yet undone).</summary>
    public static bool IsText(ReadOnlySpan<byte> raw, bool escaped) => Utf8.IsValid(raw) && (!escaped || SurrogatesPaired(raw));

    private static bool SurrogatesPaired(ReadOnlySpan<byte> raw)
    {
        for (var i = raw.IndexOf((byte)'\\'); i >= 0 && i < raw.Length - 1; )
        {
            if (raw[i + 1] != (byte)'u')
            {
                i = Next(raw, i + 2);
                continue;
            }

            var unit = Hex(raw, i + 2);
            if (unit is >= 0xDC00 and <= 0xDFFF or < 0)
            {
                return false; // a low surrogate first, or a malformed escape
            }

            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (i + 12 > raw.Length || raw[i + 6] != (byte)'\\' || raw[i + 7] != (byte)'u'
                    || Hex(raw, i + 8) is not (>= 0xDC00 and <= 0xDFFF))
                {
                    return false;
                }

                i = Next(raw, i + 12);
                continue;
            }

            i = Next(raw, i + 6);
        }

        return true;
    }

    private static int Next(ReadOnlySpan<byte> raw, int from)
    {
        if (from >= raw.Length)
        {
            return -1;
        }

        var next = raw[from..].IndexOf((byte)'\\');
        return next < 0 ? -1 : from + next;
    }

    private static int Hex(ReadOnlySpan<byte> raw, int at) =>
        at + 4 <= raw.Length && Utf8Parser.TryParse(raw.Slice(at, 4), out ushort value, out var consumed, 'x') && consumed == 4 ? value : -1;
}
