using System.Text.RegularExpressions;

namespace Wafer.Hosting.Http;

/// <summary>
/// Hides the network addresses a text names (URLs, <c>host:port</c> endpoints, IPv4 addresses) from callers who may
/// not see them: a public answer that quotes a transport error, or a reason read without the orchestrator's token.
/// </summary>
public static partial class AddressText
{
    /// <summary>What stands for an address a caller may not see.</summary>
    public const string Hidden = "[address hidden]";

    public static string Hide(string text) => Endpoint().Replace(Url().Replace(text, Hidden), Hidden);

    [GeneratedRegex(@"\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'""<>()]+", RegexOptions.CultureInvariant)]
    private static partial Regex Url();

    /// <summary>An IPv4 address, a bracketed IPv6 one, <c>localhost</c> or a dotted host name with a port; or an IPv4 address alone.</summary>
    [GeneratedRegex(@"(?:\b\d{1,3}(?:\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]|\blocalhost|\b[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+):\d{1,5}\b|\b\d{1,3}(?:\.\d{1,3}){3}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Endpoint();
}
