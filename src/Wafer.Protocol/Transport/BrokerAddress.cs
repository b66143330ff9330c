namespace Wafer.Protocol.Transport;

/// <summary>
/// An MQTT broker parsed from <c>mqtt://[user[:password]@]host[:port]</c> (default port 1883) or <c>mqtts://…</c> (TLS,
/// default port 8883): the runtime's <c>--join</c> and the orchestrator's <c>--mqtt</c>.
/// </summary>
public sealed record BrokerAddress(string Host, int Port, bool Tls, string? Username, string? Password)
{
    public const int DefaultPort = 1883;
    public const int DefaultTlsPort = 8883;

    /// <summary>The address without credentials, safe to log.</summary>
    public override string ToString() => $"{(Tls ? "mqtts" : "mqtt")}://{Host}:{Port}";

    public static bool TryParse(string text, out BrokerAddress address, out string error)
    {
        address = null!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "mqtts") || uri.Host.Length == 0)
        {
            error = $"'{Redact(text)}' is not an mqtt://HOST:PORT or mqtts://HOST:PORT URL";
            return false;
        }

        if (uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0)
        {
            error = $"'{Redact(text)}' has a path or query; give only mqtt://HOST:PORT";
            return false;
        }

        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var tls = uri.Scheme == "mqtts";
        var port = uri.IsDefaultPort || uri.Port < 0 ? (tls ? DefaultTlsPort : DefaultPort) : uri.Port;
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.DnsSafeHost : uri.IdnHost;
        address = new BrokerAddress(host, port, tls, user, password);
        error = "";
        return true;
    }

    /// <summary>The URL with any password replaced, for error messages.</summary>
    public static string Redact(string text)
    {
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (at < 0 || scheme < 0 || at < scheme)
        {
            return text;
        }

        var userInfo = text[(scheme + 3)..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? text : text[..(scheme + 3)] + userInfo[..colon] + ":***" + text[at..];
    }
}
