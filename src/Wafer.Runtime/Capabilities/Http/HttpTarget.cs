using Wafer.Protocol.Manifest;
using Wafer.Runtime.Capabilities.Secrets;

namespace Wafer.Runtime.Capabilities.Http;

/// <summary>
/// Where a guest's URL really goes: the declared connection it falls under (the most specific one), that
/// connection's base URL with its secrets filled in, and the URL to send. Guests address URLs as the manifest
/// writes the base URL, placeholders included; the host swaps in the secret values.
/// </summary>
internal sealed record HttpTarget(HttpConnectionSpec Connection, Uri ResolvedBase, Uri Url)
{
    public static HttpTarget Find(string url, PluginManifest manifest, ConnectionSecrets secrets, CapabilityCall call, string operation)
    {
        var guest = UrlScope.Parse(url, operation);
        HttpConnectionSpec? best = null;
        Uri? bestBase = null;
        foreach (var connection in manifest.Connections.Values.OfType<HttpConnectionSpec>())
        {
            var declared = new Uri(connection.BaseUrl);
            if (UrlScope.IsUnder(guest, declared) && (bestBase is null || declared.AbsolutePath.Length > bestBase.AbsolutePath.Length))
            {
                best = connection;
                bestBase = declared;
            }
        }

        if (best is null || bestBase is null)
        {
            var declared = manifest.Connections.Values.OfType<HttpConnectionSpec>().Select(c => c.BaseUrl).ToArray();
            throw new CapabilityException(declared.Length == 0
                ? $"{operation}: {url} is not under any declared connection (the manifest declares no http connections)"
                : $"{operation}: {url} is not under any declared connection ({string.Join(", ", declared)})");
        }

        if (!SecretTemplate.HasPlaceholders(best.BaseUrl))
        {
            return new HttpTarget(best, bestBase, StripFragment(guest));
        }

        var resolvedText = secrets.Fill(best.BaseUrl, best, call, operation);
        if (!Uri.TryCreate(resolvedText, UriKind.Absolute, out var resolved))
        {
            throw new CapabilityException($"{operation}: connection '{best.Name}': the base URL with its secrets filled in is not a valid URL");
        }

        var prefix = resolved.GetLeftPart(UriPartial.Path);
        var target = new Uri((prefix.EndsWith('/') ? prefix : prefix + "/") + UrlScope.Remainder(guest, bestBase));
        if (!UrlScope.IsUnder(target, resolved))
        {
            throw new CapabilityException($"{operation}: {url} leaves connection '{best.Name}' once its secrets are filled in");
        }

        return new HttpTarget(best, resolved, target);
    }

    /// <summary>The connection's base URL with secrets filled in (for endpoints the host builds itself, like models).</summary>
    public static Uri Resolve(HttpConnectionSpec connection, ConnectionSecrets secrets, CapabilityCall call, string operation)
    {
        var text = secrets.Fill(connection.BaseUrl, connection, call, operation);
        return Uri.TryCreate(text, UriKind.Absolute, out var uri)
            ? uri
            : throw new CapabilityException($"{operation}: connection '{connection.Name}': the base URL with its secrets filled in is not a valid URL");
    }

    private static Uri StripFragment(Uri uri) =>
        uri.Fragment.Length == 0 ? uri : new Uri(uri.GetLeftPart(UriPartial.Query));
}
