using Microsoft.AspNetCore.Http;

namespace Wafer.Gateway.Forwarding;

/// <summary>
/// What a caller's request tells a function beyond its arguments, which runtimes read from the request: its
/// <c>Authorization</c> (a Modus app's bearer token, verified by the runtime) and <c>X-Time-Zone</c> (the guest's
/// <c>TZ</c>). Call frames carry neither, so a call with either goes to the runtime over HTTP with them; calls
/// without them (nearly all) keep the call protocol. GraphQL fields read it from the request's flow.
/// </summary>
internal sealed record CallerContext(string Authorization, string TimeZone)
{
    public const string TimeZoneHeader = "X-Time-Zone";

    private static readonly AsyncLocal<CallerContext?> Ambient = new();

    /// <summary>The context of the request this flow serves, when it has one.</summary>
    public static CallerContext? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    /// <summary>Whether the request carries anything a runtime reads from its headers.</summary>
    public static bool Carries(HttpRequest request) =>
        request.Headers.ContainsKey(HeaderNames.Authorization) || request.Headers.ContainsKey(TimeZoneHeader);

    public static CallerContext? Of(HttpRequest request) =>
        Carries(request) ? new CallerContext(request.Headers.Authorization.ToString(), request.Headers[TimeZoneHeader].ToString()) : null;

    public void ApplyTo(HttpRequestMessage request)
    {
        if (Authorization.Length > 0)
        {
            request.Headers.TryAddWithoutValidation(HeaderNames.Authorization, Authorization);
        }

        if (TimeZone.Length > 0)
        {
            request.Headers.TryAddWithoutValidation(TimeZoneHeader, TimeZone);
        }
    }

    private static class HeaderNames
    {
        public const string Authorization = "Authorization";
    }
}
