using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Wafer.Hosting.Http;

/// <summary>
/// The one check of <c>Authorization: Bearer TOKEN</c> every server (runtime, orchestrator, gateway) applies to its
/// control requests: the scheme case-insensitively, the token compared in fixed time.
/// </summary>
public static class BearerToken
{
    /// <summary>
    /// Whether <paramref name="request"/> carries <paramref name="expected"/>; <see cref="BearerCheck.Passed"/> when
    /// no token is configured (null or empty).
    /// </summary>
    public static BearerCheck Check(HttpRequest request, string? expected)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(expected))
        {
            return BearerCheck.Passed;
        }

        var header = request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);
        var given = bearer ? header["Bearer ".Length..].Trim() : "";
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected))
            ? BearerCheck.Passed
            : bearer ? BearerCheck.WrongToken : BearerCheck.NoToken;
    }
}

/// <summary>What <see cref="BearerToken.Check"/> found.</summary>
public enum BearerCheck
{
    Passed,

    /// <summary>No bearer token was given.</summary>
    NoToken,

    /// <summary>A bearer token was given, but not the server's.</summary>
    WrongToken,
}
