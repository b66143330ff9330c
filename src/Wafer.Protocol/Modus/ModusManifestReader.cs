using System.Text.Json;
using Wafer.Protocol.Manifest;

namespace Wafer.Protocol.Modus;

/// <summary>
/// Reads a Modus app's <c>modus.json</c> (JSON with comments, as Modus read it) into Wafer's manifest plus the
/// Modus settings Wafer's manifest has no place for. Unknown keys and bad values are errors naming their JSON path.
/// </summary>
public static class ModusManifestReader
{
    public static (PluginManifest Manifest, ModusManifest Modus) Parse(ReadOnlySpan<byte> utf8Json, string name)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new ManifestException($"{ModusManifest.FileName} is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new ManifestException("$ must be a JSON object");
            }

            var endpoints = new Dictionary<string, ModusEndpoint>(StringComparer.Ordinal);
            var models = new Dictionary<string, ModusModel>(StringComparer.Ordinal);
            var connections = new Dictionary<string, ModusConnection>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                switch (property.Name)
                {
                    case "$schema":
                        break;
                    case "endpoints":
                        foreach (var (key, value, path) in Entries(property.Value, "$.endpoints"))
                        {
                            endpoints[key] = Endpoint(key, value, path);
                        }

                        break;
                    case "models":
                        foreach (var (key, value, path) in Entries(property.Value, "$.models"))
                        {
                            models[key] = Model(key, value, path);
                        }

                        break;
                    case "connections":
                        foreach (var (key, value, path) in Entries(property.Value, "$.connections"))
                        {
                            connections[key] = Connection(key, value, path);
                        }

                        break;
                    default:
                        throw new ManifestException($"$.{property.Name} is not a key of {ModusManifest.FileName} (endpoints, models, connections)");
                }
            }

            foreach (var model in models.Values)
            {
                if (model.Connection != "hypermode" && connections.GetValueOrDefault(model.Connection) is not ModusHttpConnection)
                {
                    throw new ManifestException($"$.models.{model.Name}.connection names '{model.Connection}', which is not an http connection of this manifest");
                }
            }

            var modus = new ModusManifest(endpoints, models, connections);
            return (ToPluginManifest(name, modus), modus);
        }
    }

    public static (PluginManifest Manifest, ModusManifest Modus) Load(string path, string name)
    {
        try
        {
            return Parse(File.ReadAllBytes(path), name);
        }
        catch (ManifestException ex)
        {
            throw new ManifestException($"{path}: {ex.Message}");
        }
    }

    /// <summary>
    /// Wafer's manifest for the app: its http connections (an endpoint is a base URL admitting that URL), its
    /// postgresql connections and its models served by http connections; secrets under the Modus prefixes.
    /// </summary>
    private static PluginManifest ToPluginManifest(string name, ModusManifest modus)
    {
        var connections = new Dictionary<string, ConnectionSpec>(StringComparer.Ordinal);
        foreach (var connection in modus.Connections.Values)
        {
            switch (connection)
            {
                case ModusHttpConnection http:
                    connections[http.Name] = new HttpConnectionSpec
                    {
                        Name = http.Name,
                        BaseUrl = http.Url,
                        Headers = new ManifestMap<string>(http.Headers),
                        QueryParameters = new ManifestMap<string>(http.QueryParameters),
                    };
                    break;
                case ModusSqlConnection { DbType: ConnectionSpec.PostgreSql } sql:
                    connections[sql.Name] = new PostgresConnectionSpec { Name = sql.Name, ConnString = sql.ConnString };
                    break;
            }
        }

        var models = modus.Models.Values
            .Where(m => connections.ContainsKey(m.Connection))
            .ToDictionary(m => m.Name, m => new ModelSpec { Name = m.Name, Connection = m.Connection, Model = m.SourceModel ?? m.Name }, StringComparer.Ordinal);
        return new PluginManifest
        {
            Name = name,
            Connections = new ManifestMap<ConnectionSpec>(connections),
            Models = new ManifestMap<ModelSpec>(models),
            SecretPrefixes = new ValueList<string>(ModusManifest.SecretPrefixes),
        };
    }

    private static ModusEndpoint Endpoint(string name, JsonElement value, string path)
    {
        Only(value, path, "type", "path", "auth");
        var type = Text(value, "type", path) ?? "graphql";
        if (type != "graphql")
        {
            throw new ManifestException($"{path}.type is '{type}'; Modus endpoints are of type graphql");
        }

        var route = Text(value, "path", path) ?? "/graphql";
        if (!route.StartsWith('/') || route is "/health" or "/metrics")
        {
            throw new ManifestException($"{path}.path must start with '/' and not be /health or /metrics, got '{route}'");
        }

        var auth = Text(value, "auth", path) ?? ModusEndpoint.BearerToken;
        if (auth is not (ModusEndpoint.BearerToken or ModusEndpoint.None))
        {
            throw new ManifestException($"{path}.auth must be \"bearer-token\" or \"none\", got '{auth}'");
        }

        return new ModusEndpoint(name, type, route, auth);
    }

    private static ModusModel Model(string name, JsonElement value, string path)
    {
        Only(value, path, "sourceModel", "provider", "connection", "path");
        var connection = Text(value, "connection", path) ?? throw new ManifestException($"{path}.connection is missing");
        return new ModusModel(name, Text(value, "sourceModel", path), Text(value, "provider", path), connection, Text(value, "path", path));
    }

    private static ModusConnection Connection(string name, JsonElement value, string path)
    {
        var type = Text(value, "type", path) ?? throw new ManifestException($"{path}.type is missing (http, postgresql, mysql, dgraph or neo4j)");
        switch (type)
        {
            case "http":
            {
                Only(value, path, "type", "baseUrl", "baseURL", "endpoint", "headers", "queryParameters");
                var baseUrl = Text(value, "baseUrl", path) ?? Text(value, "baseURL", path);
                var endpoint = Text(value, "endpoint", path);
                if ((baseUrl is null) == (endpoint is null))
                {
                    throw new ManifestException($"{path} must have exactly one of baseUrl and endpoint");
                }

                var url = baseUrl ?? endpoint!;
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                {
                    throw new ManifestException($"{path}.{(baseUrl is null ? "endpoint" : "baseUrl")} must be an absolute http(s) URL, got '{url}'");
                }

                return new ModusHttpConnection(name, baseUrl, endpoint, Strings(value, "headers", path), Strings(value, "queryParameters", path));
            }

            case "postgresql" or "mysql":
            {
                Only(value, path, "type", "connString");
                var connString = Text(value, "connString", path) ?? throw new ManifestException($"{path}.connString is missing");
                var scheme = type == "mysql" ? "mysql://" : "postgres";
                if (!connString.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
                {
                    throw new ManifestException($"{path}.connString must be a {(type == "mysql" ? "mysql://" : "postgres:// or postgresql://")} URL");
                }

                return new ModusSqlConnection(name, type, connString);
            }

            case "dgraph":
            {
                Only(value, path, "type", "connString", "grpcTarget", "key");
                var connString = Text(value, "connString", path);
                var target = Text(value, "grpcTarget", path);
                if ((connString is null) == (target is null))
                {
                    throw new ManifestException($"{path} must have exactly one of connString and grpcTarget");
                }

                return new ModusDgraphConnection(name, connString, target, Text(value, "key", path));
            }

            case "neo4j":
                Only(value, path, "type", "dbUri", "username", "password");
                return new ModusNeo4jConnection(name,
                    Text(value, "dbUri", path) ?? throw new ManifestException($"{path}.dbUri is missing"),
                    Text(value, "username", path) ?? throw new ManifestException($"{path}.username is missing"),
                    Text(value, "password", path) ?? throw new ManifestException($"{path}.password is missing"));
            default:
                throw new ManifestException($"{path}.type '{type}' is not a Modus connection type (http, postgresql, mysql, dgraph, neo4j)");
        }
    }

    private static IEnumerable<(string Key, JsonElement Value, string Path)> Entries(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestException($"{path} must be a JSON object");
        }

        foreach (var property in element.EnumerateObject())
        {
            var entryPath = $"{path}.{property.Name}";
            if (!IsValidName(property.Name))
            {
                throw new ManifestException($"{entryPath}: names are 1-63 letters and digits in words joined by '-'");
            }

            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                throw new ManifestException($"{entryPath} must be a JSON object");
            }

            yield return (property.Name, property.Value, entryPath);
        }
    }

    private static bool IsValidName(string name) =>
        name.Length is > 0 and <= 63 && name.Split('-').All(part => part.Length > 0 && part.All(char.IsAsciiLetterOrDigit));

    private static IReadOnlyDictionary<string, string> Strings(JsonElement element, string property, string path)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!element.TryGetProperty(property, out var map) || map.ValueKind == JsonValueKind.Null)
        {
            return values;
        }

        if (map.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestException($"{path}.{property} must be a JSON object of strings");
        }

        foreach (var item in map.EnumerateObject())
        {
            values[item.Name] = item.Value.ValueKind == JsonValueKind.String
                ? item.Value.GetString()!
                : throw new ManifestException($"{path}.{property}.{item.Name} must be a string");
        }

        return values;
    }

    private static string? Text(JsonElement element, string property, string path)
    {
        if (!element.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new ManifestException($"{path}.{property} must be a string");
    }

    private static void Only(JsonElement element, string path, params string[] keys)
    {
        foreach (var property in element.EnumerateObject())
        {
            if (Array.IndexOf(keys, property.Name) < 0)
            {
                throw new ManifestException($"{path}.{property.Name} is not a known key (expected {string.Join(", ", keys)})");
            }
        }
    }
}
