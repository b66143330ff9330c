using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Wafer.Runtime.Capabilities.Secrets;

namespace Wafer.Runtime.Modus.Auth;

/// <summary>
/// Verifies the bearer tokens of calls to Modus apps whose endpoints say <c>"auth": "bearer-token"</c>, as Modus
/// did: against the public keys in <c>MODUS_PEMS</c> (a JSON object of PEM keys) and the key sets at
/// <c>MODUS_JWKS_ENDPOINTS</c> (a JSON object of URLs, fetched again after <c>MODUS_JWKS_REFRESH_MINUTES</c>,
/// default 1440). A valid token's claims (its payload JSON) reach the guest as <c>CLAIMS</c>.
/// </summary>
internal sealed partial class ModusTokenVerifier(SecretStore secrets, ILogger<ModusTokenVerifier> logger) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly Lock _lock = new();
    private (string Source, DateTimeOffset Fetched, IReadOnlyList<SecurityKey> Keys)? _keys;

    /// <summary>The verified claims JSON (the token's payload), or null when the token does not verify.</summary>
    public async Task<string?> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        var keys = await KeysAsync(cancellationToken);
        if (keys.Count == 0)
        {
            return null;
        }

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKeys = keys,
            ValidateAudience = false,
            ValidateIssuer = false,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromMinutes(1),
        });
        if (!result.IsValid || result.SecurityToken is not JsonWebToken jwt)
        {
            TokenRefused(logger, result.Exception?.GetType().Name ?? "invalid");
            return null;
        }

        return Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
    }

    /// <summary>True when keys are configured (tokens can be verified at all).</summary>
    public bool HasKeys => !string.IsNullOrWhiteSpace(secrets.Get("MODUS_PEMS")) || !string.IsNullOrWhiteSpace(secrets.Get("MODUS_JWKS_ENDPOINTS"));

    private async Task<IReadOnlyList<SecurityKey>> KeysAsync(CancellationToken cancellationToken)
    {
        var pems = secrets.Get("MODUS_PEMS") ?? "";
        var jwks = secrets.Get("MODUS_JWKS_ENDPOINTS") ?? "";
        var refresh = int.TryParse(secrets.Get("MODUS_JWKS_REFRESH_MINUTES"), out var minutes) && minutes > 0 ? minutes : 1440;
        var source = pems + "\n" + jwks;
        lock (_lock)
        {
            if (_keys is { } cached && cached.Source == source && DateTimeOffset.UtcNow - cached.Fetched < TimeSpan.FromMinutes(refresh))
            {
                return cached.Keys;
            }
        }

        var keys = new List<SecurityKey>();
        foreach (var (name, pem) in Entries(pems, "MODUS_PEMS"))
        {
            if (PemKey(pem) is { } key)
            {
                key.KeyId = name;
                keys.Add(key);
            }
            else
            {
                KeyUnusable(logger, "MODUS_PEMS", name);
            }
        }

        foreach (var (name, url) in Entries(jwks, "MODUS_JWKS_ENDPOINTS"))
        {
            try
            {
                var set = new JsonWebKeySet(await _http.GetStringAsync(url, cancellationToken));
                keys.AddRange(set.GetSigningKeys());
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or ArgumentException or JsonException)
            {
                KeyUnusable(logger, "MODUS_JWKS_ENDPOINTS", name);
            }
        }

        lock (_lock)
        {
            _keys = (source, DateTimeOffset.UtcNow, keys);
        }

        return keys;
    }

    private IEnumerable<(string Name, string Value)> Entries(string json, string variable)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return [];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return [.. document.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind == JsonValueKind.String)
                .Select(p => (p.Name, p.Value.GetString()!))];
        }
        catch (JsonException)
        {
            KeyUnusable(logger, variable, "(not a JSON object)");
            return [];
        }
    }

    private static SecurityKey? PemKey(string pem)
    {
        try
        {
            var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
            return new RsaSecurityKey(rsa);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            try
            {
                var ecdsa = ECDsa.Create();
                ecdsa.ImportFromPem(pem);
                return new ECDsaSecurityKey(ecdsa);
            }
            catch (Exception inner) when (inner is ArgumentException or CryptographicException)
            {
                return null;
            }
        }
    }

    public void Dispose() => _http.Dispose();

    [LoggerMessage(EventId = 2860, EventName = "ModusTokenRefused", Level = LogLevel.Information,
        Message = "Refused a bearer token for a Modus app: {Reason}")]
    private static partial void TokenRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 2861, EventName = "ModusKeyUnusable", Level = LogLevel.Warning,
        Message = "Key {Name} in {Variable} cannot be used to verify tokens")]
    private static partial void KeyUnusable(ILogger logger, string variable, string name);
}
