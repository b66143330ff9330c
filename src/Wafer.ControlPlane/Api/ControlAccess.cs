using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wafer.ControlPlane.Hosting;
using Wafer.Hosting.Http;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// Who holds the orchestrator's token. Control operations need it; reads stay public, but the addresses they would
/// name (runtime URLs, h2c URLs, artifact URLs, and URLs quoted in reasons) are shown only to holders of the token,
/// the same rule as <c>GET /api/routes</c>. Without a configured token everyone holds it (loopback by default).
/// </summary>
internal static class ControlAccess
{
    /// <summary>What stands for an address a caller without the token may not see.</summary>
    public const string HiddenAddress = AddressText.Hidden;

    /// <summary>True when no token is configured, or the request carries it as <c>Authorization: Bearer TOKEN</c>.</summary>
    public static bool HoldsToken(HttpContext context) => Check(context) == BearerCheck.Passed;

    /// <summary>Whether the request passes, and if not, whether it gave a bearer token at all.</summary>
    internal static BearerCheck Check(HttpContext context) =>
        BearerToken.Check(context.Request, context.RequestServices.GetRequiredService<IOptions<OrchestratorOptions>>().Value.ApiToken);

    /// <summary><paramref name="text"/> with every address in it replaced by <see cref="HiddenAddress"/>.</summary>
    public static string? HideAddresses(string? text) => text is null ? null : AddressText.Hide(text);
}
