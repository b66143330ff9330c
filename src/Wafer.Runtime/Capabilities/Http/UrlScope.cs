namespace Wafer.Runtime.Capabilities.Http;

/// <summary>
/// The allow-list test for outbound URLs: same scheme, host and port as a connection's base URL, and a path at
/// or below the base path, segment by segment (<c>/v1</c> admits <c>/v1/x</c>, never <c>/v1beta</c>). URLs are
/// compared after <see cref="Uri"/> normalization (case of scheme and host, default ports, dot segments,
/// backslashes); user info and percent-encoded dot segments are refused outright.
/// </summary>
internal static class UrlScope
{
    /// <summary>Parses a URL a guest (or a redirect) names; throws <see cref="CapabilityException"/> when it may not be used.</summary>
    public static Uri Parse(string url, string operation)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            throw new CapabilityException($"{operation}: '{url}' is not an absolute http(s) URL");
        }

        Check(uri, operation);
        return uri;
    }

    /// <summary>Refuses user info (<c>https://trusted@evil/</c>) and encoded dot segments (<c>/v1/%2e%2e/admin</c>).</summary>
    public static void Check(Uri uri, string operation)
    {
        if (uri.UserInfo.Length > 0)
        {
            throw new CapabilityException($"{operation}: URLs with user info are not allowed ({uri.Scheme}://…@{uri.Authority}); use a connection header");
        }

        if (HasEncodedDotSegment(uri.AbsolutePath))
        {
            throw new CapabilityException($"{operation}: the path of {uri.GetLeftPart(UriPartial.Path)} has a percent-encoded '.' or '..' segment");
        }
    }

    /// <summary>True when <paramref name="url"/> lies at or under <paramref name="baseUrl"/>.</summary>
    public static bool IsUnder(Uri url, Uri baseUrl)
    {
        if (!string.Equals(url.Scheme, baseUrl.Scheme, StringComparison.OrdinalIgnoreCase) ||
            !string.Equals(url.IdnHost, baseUrl.IdnHost, StringComparison.OrdinalIgnoreCase) ||
            url.Port != baseUrl.Port)
        {
            return false;
        }

        var basePath = baseUrl.AbsolutePath;
        var path = url.AbsolutePath;
        if (basePath.EndsWith('/'))
        {
            return path.StartsWith(basePath, StringComparison.Ordinal) || path == basePath[..^1];
        }

        return path == basePath || path.StartsWith(basePath + "/", StringComparison.Ordinal);
    }

    /// <summary>The part of <paramref name="url"/> below <paramref name="baseUrl"/>: the rest of the path and the query.</summary>
    public static string Remainder(Uri url, Uri baseUrl)
    {
        var basePath = baseUrl.AbsolutePath.EndsWith('/') ? baseUrl.AbsolutePath : baseUrl.AbsolutePath + "/";
        var rest = url.AbsolutePath.Length >= basePath.Length ? url.AbsolutePath[basePath.Length..] : "";
        return rest + url.Query;
    }

    private static bool HasEncodedDotSegment(string path)
    {
        if (!path.Contains('%'))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(path);
        }
        catch (UriFormatException)
        {
            return true;
        }

        foreach (var segment in decoded.Split('/', '\\'))
        {
            if (segment is "." or "..")
            {
                return true;
            }
        }

        return false;
    }
}
