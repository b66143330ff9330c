namespace Wafer.Runtime.Modus;

/// <summary>
/// What the HTTP request behind a call tells a Modus guest: the verified JWT claims (as JSON; empty when there is
/// no token) and the time zone (<c>X-Time-Zone</c>). Set for the request's flow; the call reads it when it starts.
/// </summary>
internal sealed record ModusRequestContext(string Claims, string? TimeZone)
{
    /// <summary>True when the request carried a bearer token that verified.</summary>
    public bool Verified { get; init; }

    private static readonly AsyncLocal<ModusRequestContext?> Ambient = new();

    public static ModusRequestContext? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }
}
