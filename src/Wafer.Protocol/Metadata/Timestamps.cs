using System.Globalization;

namespace Wafer.Protocol.Metadata;

/// <summary>
/// The JSON form of <c>timestamp</c> values: RFC 3339 text. Written in UTC with the fraction trimmed of trailing
/// zeros (<c>2024-12-31T23:59:59.999Z</c>, <c>2024-12-31T23:59:59Z</c>); read with any offset.
/// </summary>
public static class Timestamps
{
    public static bool TryParse(string text, out DateTimeOffset value) =>
        text.Length >= 20 && text[10] is 'T' or 't' &&
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value)
        || Fail(out value);

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    public static string FormatUnixMilliseconds(long milliseconds) =>
        Format(DateTimeOffset.FromUnixTimeMilliseconds(Math.Clamp(milliseconds, -62135596800000L, 253402300799999L)));

    private static bool Fail(out DateTimeOffset value)
    {
        value = default;
        return false;
    }
}
