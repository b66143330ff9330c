using System.Text;

namespace Wafer.Runtime.Jobs;

/// <summary>Turns captured guest output into text.</summary>
internal static class Utf8Text
{
    /// <summary>
    /// Decodes UTF-8; when the bytes were cut at a cap, a character split by the cut is dropped rather than shown as
    /// a replacement character. Invalid sequences elsewhere become U+FFFD.
    /// </summary>
    public static string Decode(byte[] bytes, bool truncated)
    {
        var length = bytes.Length;
        if (truncated && length > 0)
        {
            var start = length - 1;
            while (start > 0 && length - start < 4 && (bytes[start] & 0xC0) == 0x80)
            {
                start--;
            }

            var lead = bytes[start];
            var needed = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (length - start < needed)
            {
                length = start;
            }
        }

        return Encoding.UTF8.GetString(bytes, 0, length);
    }
}
