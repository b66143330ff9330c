using Microsoft.AspNetCore.Http;

namespace Wafer.Gateway.Http;

/// <summary>The function a request path names: <c>/functions/{name}</c> or <c>/functions/{plugin}/{name}</c>.</summary>
internal static class FunctionPath
{
    private const string Prefix = "/functions/";

    /// <summary>
    /// Reads the path as endpoint routing would have matched those two templates: the prefix in any case, one or
    /// two non-empty segments, a trailing slash allowed.
    /// </summary>
    public static bool TryParse(PathString path, out string? plugin, out string name)
    {
        plugin = null;
        name = "";
        var value = path.Value;
        if (value is null || !value.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = value.AsSpan(Prefix.Length);
        if (rest.EndsWith('/'))
        {
            rest = rest[..^1];
        }

        var slash = rest.IndexOf('/');
        if (slash < 0)
        {
            name = rest.ToString();
            return name.Length > 0;
        }

        var second = rest[(slash + 1)..];
        if (slash == 0 || second.IsEmpty || second.Contains('/'))
        {
            return false;
        }

        plugin = rest[..slash].ToString();
        name = second.ToString();
        return true;
    }
}
