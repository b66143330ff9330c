using System.Text.Json;

namespace Wafer.Protocol.Manifest;

/// <summary>Reads the manifest's <c>connections</c>: <c>http</c>, <c>postgresql</c> and <c>graphql</c> connections by name.</summary>
internal static class ConnectionsReader
{
    private static readonly string[] CommonKeys = ["type", "timeoutMs", "maxResponseBytes"];

    public static ManifestMap<ConnectionSpec> Read(JsonElement element, string path)
    {
        ManifestValues.Object(element, path);
        var connections = new List<KeyValuePair<string, ConnectionSpec>>();
        foreach (var property in element.EnumerateObject())
        {
            var p = ManifestValues.Child(path, property.Name);
            if (!ManifestReader.IsValidName(property.Name))
            {
                throw new ManifestException(
                    $"{p}: a connection name must be 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit");
            }

            connections.Add(new(property.Name, ReadConnection(property.Name, property.Value, p)));
        }

        CheckSecretVariables(connections.Select(c => c.Value), path);
        return new ManifestMap<ConnectionSpec>(connections);
    }

    private static ConnectionSpec ReadConnection(string name, JsonElement element, string path)
    {
        ManifestValues.Object(element, path);
        if (!element.TryGetProperty("type", out var typeElement))
        {
            throw new ManifestException($"{path}.type is missing (http, postgresql or graphql)");
        }

        var type = ManifestValues.String(typeElement, path + ".type");
        string[] keys = type switch
        {
            ConnectionSpec.Http => ["baseUrl", "headers", "queryParameters"],
            ConnectionSpec.PostgreSql => ["connString"],
            ConnectionSpec.GraphQL => ["endpoint", "headers"],
            _ => throw new ManifestException($"{path}.type must be http, postgresql or graphql, got '{type}'"),
        };

        string? url = null;
        var headers = ManifestMap<string>.Empty;
        var query = ManifestMap<string>.Empty;
        var timeout = ConnectionSpec.DefaultTimeoutMs;
        var maxResponse = ConnectionSpec.DefaultMaxResponseBytes;
        foreach (var property in element.EnumerateObject())
        {
            var p = ManifestValues.Child(path, property.Name);
            switch (property.Name)
            {
                case "type":
                    break;
                case "timeoutMs":
                    timeout = ManifestValues.Integer(property.Value, p, 1, PluginLimits.MaxTimeoutMs);
                    break;
                case "maxResponseBytes":
                    maxResponse = ManifestValues.Integer(property.Value, p, 1, ConnectionSpec.MaxMaxResponseBytes);
                    break;
                case "headers" when keys.Contains("headers"):
                    headers = ManifestValues.StringMap(property.Value, p, HeaderNameProblem);
                    foreach (var (header, value) in headers)
                    {
                        var hp = ManifestValues.Child(p, header);
                        ManifestValues.Template(value, hp);
                        if (value.AsSpan().ContainsAny('\r', '\n'))
                        {
                            throw new ManifestException($"{hp} must not contain line breaks");
                        }
                    }

                    break;
                case "queryParameters" when keys.Contains("queryParameters"):
                    query = ManifestValues.StringMap(property.Value, p, QueryNameProblem);
                    foreach (var (parameter, value) in query)
                    {
                        ManifestValues.Template(value, ManifestValues.Child(p, parameter));
                    }

                    break;
                case "baseUrl" or "connString" or "endpoint" when keys.Contains(property.Name):
                    url = ManifestValues.NonEmptyString(property.Value, p);
                    ManifestValues.Template(url, p);
                    break;
                default:
                    throw new ManifestException(
                        $"{p} is not a key of a {type} connection ({string.Join(", ", CommonKeys.Concat(keys))})");
            }
        }

        if (url is null)
        {
            throw new ManifestException($"{path}.{keys[0]} is missing");
        }

        return type switch
        {
            ConnectionSpec.Http => new HttpConnectionSpec
            {
                Name = name, BaseUrl = CheckBaseUrl(url, path + ".baseUrl"), Headers = headers, QueryParameters = query, TimeoutMs = timeout, MaxResponseBytes = maxResponse,
            },
            ConnectionSpec.GraphQL => new GraphQLConnectionSpec
            {
                Name = name, Endpoint = CheckEndpoint(url, path + ".endpoint"), Headers = headers, TimeoutMs = timeout, MaxResponseBytes = maxResponse,
            },
            _ => new PostgresConnectionSpec
            {
                Name = name, ConnString = CheckConnString(url, path + ".connString"), TimeoutMs = timeout, MaxResponseBytes = maxResponse,
            },
        };
    }

    /// <summary>
    /// A base URL: absolute http(s), no user info, query or fragment. Placeholders may sit in the path only, so
    /// the allow-list (scheme, host, port) is known without any secret.
    /// </summary>
    private static string CheckBaseUrl(string value, string path)
    {
        var authorityEnd = value.IndexOf('/', value.IndexOf("://", StringComparison.Ordinal) is var s and >= 0 ? s + 3 : 0);
        var authority = authorityEnd < 0 ? value : value[..authorityEnd];
        if (SecretTemplate.HasPlaceholders(authority))
        {
            throw new ManifestException($"{path} may hold secret placeholders only in its path, not in the scheme, host or port");
        }

        var uri = AbsoluteHttpUrl(value, path);
        if (uri.Query.Length > 0 || uri.Fragment.Length > 0 || value.Contains('?') || value.Contains('#'))
        {
            throw new ManifestException($"{path} must not have a query or fragment (put parameters in the URLs the plugin fetches)");
        }

        return value;
    }

    private static string CheckEndpoint(string value, string path)
    {
        AbsoluteHttpUrl(value, path);
        return value;
    }

    private static string CheckConnString(string value, string path)
    {
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
        {
            var probe = SecretTemplate.Fill(value, _ => "x");
            if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                throw new ManifestException($"{path} must be a postgres://user:password@host:port/database URL or Key=Value pairs");
            }
        }
        else if (!value.Contains('='))
        {
            throw new ManifestException($"{path} must be a postgres://user:password@host:port/database URL or Key=Value pairs like Host=…;Database=…");
        }

        return value;
    }

    private static Uri AbsoluteHttpUrl(string value, string path)
    {
        var probe = SecretTemplate.Fill(value, _ => "x");
        if (!Uri.TryCreate(probe, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            throw new ManifestException($"{path} must be an absolute http(s) URL, got '{value}'");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw new ManifestException($"{path} must not contain user info (put credentials in headers with a {{{{SECRET}}}} placeholder)");
        }

        return uri;
    }

    private static string? QueryNameProblem(string name) =>
        name.Length == 0 ? "a query parameter name must not be empty" : null;

    private static string? HeaderNameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "a header name must not be empty";
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
            {
                return $"'{name}' is not a valid HTTP header name";
            }
        }

        return null;
    }

    /// <summary>Two connections must never read the same variable for different secrets (e.g. <c>a</c>/<c>B_C</c> and <c>a_b</c>/<c>C</c>).</summary>
    private static void CheckSecretVariables(IEnumerable<ConnectionSpec> connections, string path)
    {
        var owners = new Dictionary<string, (string Connection, string Secret)>(StringComparer.Ordinal);
        foreach (var connection in connections)
        {
            foreach (var (_, template) in connection.Templates())
            {
                foreach (var secret in SecretTemplate.Names(template))
                {
                    var variable = SecretTemplate.VariableName(connection.Name, secret);
                    if (owners.TryGetValue(variable, out var owner) && owner.Connection != connection.Name)
                    {
                        throw new ManifestException(
                            $"{ManifestValues.Child(path, connection.Name)}: secret {secret} would be read from {variable}, " +
                            $"which already holds secret {owner.Secret} of connection '{owner.Connection}'; rename a connection or a secret");
                    }

                    owners[variable] = (connection.Name, secret);
                }
            }
        }
    }
}
