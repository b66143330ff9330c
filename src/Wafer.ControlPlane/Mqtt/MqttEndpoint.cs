namespace Wafer.ControlPlane.Mqtt;

/// <summary>
/// A broker address from a URL: <c>mqtt://[user[:password]@]host[:port]</c> (also <c>tcp://</c>; default port 1883) or
/// <c>mqtts://…</c> for TLS (also <c>ssl://</c>; default port 8883).
/// </summary>
public sealed record MqttEndpoint(string Host, int Port, bool Tls, string? Username = null, string? Password = null)
{
    public static bool TryParse(string? url, out MqttEndpoint endpoint, out string error)
    {
        endpoint = new MqttEndpoint("", 0, false);
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            error = $"'{url}' is not a broker URL such as mqtt://127.0.0.1:1883";
            return false;
        }

        bool tls;
        switch (uri.Scheme)
        {
            case "mqtt" or "tcp":
                tls = false;
                break;
            case "mqtts" or "ssl" or "tls":
                tls = true;
                break;
            default:
                error = $"'{uri.Scheme}' is not a broker scheme: use mqtt:// or mqtts://";
                return false;
        }

        if (uri.AbsolutePath is not ("" or "/") || uri.Query.Length > 0)
        {
            error = $"'{Redacted(uri)}' has a path or query; a broker URL is mqtt://HOST:PORT";
            return false;
        }

        string? user = null, password = null;
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            user = Uri.UnescapeDataString(parts[0]);
            password = parts.Length == 2 ? Uri.UnescapeDataString(parts[1]) : null;
        }

        endpoint = new MqttEndpoint(uri.Host, uri.IsDefaultPort || uri.Port <= 0 ? tls ? 8883 : 1883 : uri.Port, tls, user, password);
        error = "";
        return true;
    }

    /// <summary>The address without credentials, for logs.</summary>
    public override string ToString() => $"{(Tls ? "mqtts" : "mqtt")}://{Host}:{Port}";

    private static string Redacted(Uri uri) => uri.UserInfo.Length == 0 ? uri.ToString() : uri.ToString().Replace(uri.UserInfo + "@", "", StringComparison.Ordinal);
}
