using Wafer.Wasm;

namespace Wafer.Runtime.Modus;

/// <summary>
/// The WASI environment of a Modus call: <c>TZ</c> (the request's time zone, else the host's) and <c>CLAIMS</c>
/// (the caller's verified JWT claims as JSON, empty without a token), as Modus set them. Unlike Modus, no other
/// host variable reaches the guest.
/// </summary>
internal sealed class ModusEnvironment
{
    public static string HostTimeZone { get; } = Environment.GetEnvironmentVariable("TZ") is { Length: > 0 } tz ? tz : TimeZoneInfo.Local.Id;

    public IEnumerable<KeyValuePair<string, string>> For(IGuestCallContext context)
    {
        var request = ModusRequestContext.Current;
        return
        [
            KeyValuePair.Create("TZ", request?.TimeZone ?? HostTimeZone),
            KeyValuePair.Create("CLAIMS", request?.Claims ?? ""),
        ];
    }
}
