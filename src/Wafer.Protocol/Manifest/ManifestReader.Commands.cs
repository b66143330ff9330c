using System.Text.Json;

namespace Wafer.Protocol.Manifest;

/// <summary>The manifest keys of command plugins: <c>type</c>, <c>files</c> and <c>routes</c> (docs/manifest.md).</summary>
public static partial class ManifestReader
{
    /// <summary>Paths the runtime serves itself; a route may not claim them or anything below them.</summary>
    public static IReadOnlyList<string> ReservedPaths { get; } =
        ["/functions", "/graphql", "/graphql-worker", "/jobs", "/api", "/healthz", "/readyz", "/metrics"];

    private static readonly string[] Methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

    private static PluginType ReadType(JsonElement element, string path) => String(element, path) switch
    {
        "functions" => PluginType.Functions,
        "command" => PluginType.Command,
        var other => throw new ManifestException($"{path} must be \"functions\" or \"command\", got '{other}'"),
    };

    private static GrantedFolder ReadFiles(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestException($"{path} must be a JSON object like {{\"path\": \"data\", \"readOnly\": false}}");
        }

        string? folder = null;
        var readOnly = false;
        foreach (var property in element.EnumerateObject())
        {
            var p = $"{path}.{property.Name}";
            switch (property.Name)
            {
                case "path":
                    folder = String(property.Value, p);
                    if (string.IsNullOrWhiteSpace(folder))
                    {
                        throw new ManifestException($"{p} must name a folder");
                    }

                    break;
                case "readOnly":
                    readOnly = property.Value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw new ManifestException($"{p} must be true or false"),
                    };
                    break;
                default:
                    throw new ManifestException($"{p} is not a known key of files (path, readOnly)");
            }
        }

        return folder is null ? throw new ManifestException($"{path}.path is missing") : new GrantedFolder(folder, readOnly);
    }

    private static ValueList<PluginRoute> ReadRoutes(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new ManifestException($"{path} must be an array of {{\"path\": \"/hello\", \"methods\": [\"GET\"]}}");
        }

        var routes = new List<PluginRoute>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var route = ReadRoute(item, $"{path}[{index++}]");
            if (routes.Exists(r => r.Path == route.Path))
            {
                throw new ManifestException($"{path}[{index - 1}].path '{route.Path}' is listed twice; list every method in one entry");
            }

            routes.Add(route);
        }

        return new ValueList<PluginRoute>(routes);
    }

    private static PluginRoute ReadRoute(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestException($"{path} must be a JSON object like {{\"path\": \"/hello\", \"methods\": [\"GET\"]}}");
        }

        string? routePath = null;
        var methods = ValueList<string>.Empty;
        foreach (var property in element.EnumerateObject())
        {
            var p = $"{path}.{property.Name}";
            switch (property.Name)
            {
                case "path":
                    routePath = String(property.Value, p);
                    if (RoutePathError(routePath) is { } error)
                    {
                        throw new ManifestException($"{p} {error}, got '{routePath}'");
                    }

                    break;
                case "methods":
                    methods = ReadMethods(property.Value, p);
                    break;
                default:
                    throw new ManifestException($"{p} is not a known key of a route (path, methods)");
            }
        }

        return routePath is null ? throw new ManifestException($"{path}.path is missing") : new PluginRoute(routePath, methods);
    }

    private static ValueList<string> ReadMethods(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Array)
        {
            throw new ManifestException($"{path} must be an array of HTTP methods");
        }

        var methods = new List<string>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var p = $"{path}[{index++}]";
            var method = String(item, p).ToUpperInvariant();
            if (!Methods.Contains(method))
            {
                throw new ManifestException($"{p} must be one of {string.Join(", ", Methods)}, got '{item.GetString()}'");
            }

            if (!methods.Contains(method))
            {
                methods.Add(method);
            }
        }

        return methods.Count == 0
            ? throw new ManifestException($"{path} must list at least one method (leave it out to allow any method)")
            : new ValueList<string>(methods);
    }

    /// <summary>Why a route path is unusable, or null when it is fine.</summary>
    private static string? RoutePathError(string path)
    {
        if (!path.StartsWith('/'))
        {
            return "must start with '/'";
        }

        if (path.Length > 1024)
        {
            return "must be at most 1024 characters";
        }

        foreach (var c in path)
        {
            if (c == '%')
            {
                // Routes match the decoded request path, so an encoded spelling would only hide what it names (%2e%2e is '..').
                return "must not hold percent-encoded characters: routes match the decoded request path, so write each character as itself";
            }

            if (!(char.IsAsciiLetterOrDigit(c) || "-._~!$&'()+,;=:@/".Contains(c)))
            {
                return $"may hold only letters, digits, '/' and -._~!$&'()+,;=:@ (no '{c}'; a query string is not part of a route)";
            }
        }

        var segments = path.Split('/')[1..];
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            switch (segments[i])
            {
                case "" when !(last && path == "/"):
                    return last ? "must not end with '/' (use '/...' to match everything below a path)" : "must not contain '//'";
                case "." or "..":
                    return "must not contain '.' or '..' segments";
                case "..." when !last:
                    return "may use '...' only as its last segment";
            }
        }

        var basePath = path.EndsWith(PluginRoute.PrefixSuffix, StringComparison.Ordinal) ? path[..^PluginRoute.PrefixSuffix.Length] : path;
        foreach (var reserved in ReservedPaths)
        {
            // Case-insensitive: the runtime's, the orchestrator's and the gateway's own endpoints match paths in any case.
            if (basePath.Equals(reserved, StringComparison.OrdinalIgnoreCase) || basePath.StartsWith(reserved + "/", StringComparison.OrdinalIgnoreCase))
            {
                return $"must not be under {reserved}, which the runtime serves itself";
            }
        }

        return null;
    }

    private static void CheckCommandKeys(PluginType type, GrantedFolder? files, ValueList<PluginRoute> routes)
    {
        if (type == PluginType.Command)
        {
            return;
        }

        if (files is not null)
        {
            throw new ManifestException("$.files is only for command plugins: add \"type\": \"command\"");
        }

        if (routes.Count > 0)
        {
            throw new ManifestException("$.routes is only for command plugins: add \"type\": \"command\"");
        }
    }
}
