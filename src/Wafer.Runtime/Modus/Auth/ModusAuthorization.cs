using Wafer.Protocol.Modus;

namespace Wafer.Runtime.Modus.Auth;

/// <summary>
/// Whether a call may run a Modus app's function: apps whose endpoints use <c>bearer-token</c> auth need a
/// verified token. Unlike Modus, an app that asks for tokens while no keys are configured is closed, not open.
/// </summary>
internal sealed class ModusAuthorization(ModusTokenVerifier verifier)
{
    /// <summary>Null when the call may run, else why not (for a 401).</summary>
    public string? Deny(ModusApp app)
    {
        if (!app.Modus.RequiresBearerToken || ModusRequestContext.Current?.Verified == true)
        {
            return null;
        }

        return verifier.HasKeys
            ? $"{app.Manifest.Name} needs a valid bearer token (its {ModusManifest.FileName} endpoints use bearer-token auth)"
            : $"{app.Manifest.Name} needs a bearer token (its {ModusManifest.FileName} endpoints use bearer-token auth), and no keys are configured to verify one: set MODUS_PEMS or MODUS_JWKS_ENDPOINTS, or set \"auth\": \"none\"";
    }
}
