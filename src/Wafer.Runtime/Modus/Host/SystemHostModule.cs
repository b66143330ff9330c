using System.Globalization;
using System.Text.Json;

namespace Wafer.Runtime.Modus.Host;

/// <summary>
/// <c>modus_system</c> besides <c>logMessage</c> (which the calling convention handles): <c>getTimeInZone(tz)</c>,
/// the current time as RFC 3339 text with nanoseconds in that IANA zone, or in the request's zone when
/// <c>tz</c> is null; an unknown zone gives null.
/// </summary>
internal sealed class SystemHostModule : IModusHostModule
{
    public IReadOnlyDictionary<string, ModusHostFunction> Functions { get; } = new Dictionary<string, ModusHostFunction>
    {
        ["modus_system.getTimeInZone"] = GetTimeInZone,
    };

    private static byte[]? GetTimeInZone(ModusHostCall call, JsonElement[] arguments)
    {
        var zone = ModusJson.String(arguments, 0) ?? ModusRequestContext.Current?.TimeZone ?? ModusEnvironment.HostTimeZone;
        TimeZoneInfo info;
        try
        {
            info = TimeZoneInfo.FindSystemTimeZoneById(zone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new ModusHostException($"{call.Function}: '{zone}' is not a known time zone");
        }

        var now = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, info);
        return ModusJson.Of(Format(now));
    }

    /// <summary>RFC 3339 with nanoseconds, as Go's RFC3339Nano: trailing zeros of the fraction dropped, Z for UTC.</summary>
    public static string Format(DateTimeOffset time)
    {
        var text = time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        return text + (time.Offset == TimeSpan.Zero ? "Z" : time.ToString("zzz", CultureInfo.InvariantCulture));
    }
}
