using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.Modus;
using Wafer.Runtime.Capabilities;
using Wafer.Runtime.Capabilities.Http;
using Wafer.Runtime.Capabilities.Secrets;

namespace Wafer.Runtime.Modus.Host;

/// <summary>
/// <c>modus_dgraph_client</c> over Dgraph's HTTP API (Modus used gRPC; the HTTP API serves the same requests):
/// <c>executeQuery</c> posts a DQL query (<c>/query</c>) or an upsert with mutations (<c>/mutate?commitNow=true</c>;
/// JSON mutations in JSON, N-Quads ones as an RDF upsert block), <c>alterSchema</c>, <c>dropAttribute</c> and
/// <c>dropAllData</c> post to <c>/alter</c>. A connection's <c>dgraph://host:port</c> or <c>grpcTarget</c> names the
/// server: the gRPC port 9080 means the HTTP port 8080 beside it, any other port is used as given;
/// <c>sslmode=verify-ca</c> or <c>require</c> means https. An API key (<c>key</c>, or <c>apikey</c> in the URL)
/// goes in <c>X-Auth-Token</c>, a <c>bearertoken</c> in <c>Authorization</c>.
/// </summary>
internal sealed class DgraphHostModule(OutboundHttp http, ConnectionSecrets secrets) : IModusHostModule
{
    public IReadOnlyDictionary<string, ModusHostFunction> Functions => new Dictionary<string, ModusHostFunction>
    {
        ["modus_dgraph_client.executeQuery"] = ExecuteQuery,
        ["modus_dgraph_client.alterSchema"] = (call, a) => Alter(call, a, ModusJson.String(a, 1) ?? "", "text/plain"),
        ["modus_dgraph_client.dropAttribute"] = (call, a) => Alter(call, a, JsonSerializer.Serialize(new { drop_attr = ModusJson.String(a, 1) ?? "" }), "application/json"),
        ["modus_dgraph_client.dropAllData"] = (call, a) => Alter(call, a, """{"drop_all":true}""", "application/json"),
    };

    private byte[]? ExecuteQuery(ModusHostCall call, JsonElement[] arguments)
    {
        var request = arguments.Length > 1 ? arguments[1] : default;
        var query = request.ValueKind == JsonValueKind.Object && request.TryGetProperty("query", out var q) && q.ValueKind == JsonValueKind.Object ? q : default;
        var text = query.ValueKind == JsonValueKind.Object && query.TryGetProperty("query", out var t) ? t.GetString() ?? "" : "";
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (query.ValueKind == JsonValueKind.Object && query.TryGetProperty("variables", out var v) && v.ValueKind == JsonValueKind.Array)
        {
            foreach (var pair in v.EnumerateArray())
            {
                variables[pair.GetProperty("key").GetString()!] = pair.GetProperty("value").GetString() ?? "";
            }
        }

        var mutations = request.ValueKind == JsonValueKind.Object && request.TryGetProperty("mutations", out var m) && m.ValueKind == JsonValueKind.Array
            ? m.EnumerateArray().ToArray()
            : [];
        JsonElement data;
        if (mutations.Length == 0)
        {
            data = Post(call, arguments, "/query", JsonSerializer.Serialize(new { query = text, variables }), "application/json");
            return Response(data.GetRawText(), null);
        }

        var nquads = mutations.Any(x => Field(x, "setNquads").Length > 0 || Field(x, "delNquads").Length > 0);
        data = nquads
            ? Post(call, arguments, "/mutate?commitNow=true", Rdf(text, mutations), "application/rdf")
            : Post(call, arguments, "/mutate?commitNow=true", Json(text, variables, mutations), "application/json");
        var queries = data.TryGetProperty("queries", out var results) ? results.GetRawText() : "{}";
        var uids = data.TryGetProperty("uids", out var u) && u.ValueKind == JsonValueKind.Object
            ? u.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal)
            : [];
        return Response(queries, uids);
    }

    private byte[]? Alter(ModusHostCall call, JsonElement[] arguments, string body, string contentType)
    {
        var data = Post(call, arguments, "/alter", body, contentType);
        return ModusJson.Of(data.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : "Done");
    }

    private static string Json(string query, Dictionary<string, string> variables, JsonElement[] mutations) =>
        Encoding.UTF8.GetString(ModusJson.Write(writer =>
        {
            writer.WriteStartObject();
            if (query.Length > 0)
            {
                writer.WriteString("query", query);
                writer.WritePropertyName("variables");
                JsonSerializer.Serialize(writer, variables);
            }

            writer.WriteStartArray("mutations");
            foreach (var mutation in mutations)
            {
                writer.WriteStartObject();
                Embed(writer, "set", Field(mutation, "setJson"));
                Embed(writer, "delete", Field(mutation, "delJson"));
                if (Field(mutation, "condition") is { Length: > 0 } condition)
                {
                    writer.WriteString("cond", condition);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }));

    /// <summary>N-Quads mutations as Dgraph's RDF upsert block: <c>upsert { query { … } mutation @if(…) { set { … } delete { … } } }</c>.</summary>
    private static string Rdf(string query, JsonElement[] mutations)
    {
        var text = new StringBuilder("upsert {\n");
        if (query.Length > 0)
        {
            text.Append("  query ").Append(query.Trim().StartsWith('{') ? query.Trim() : "{ " + query.Trim() + " }").Append('\n');
        }

        foreach (var mutation in mutations)
        {
            var condition = Field(mutation, "condition");
            text.Append("  mutation").Append(condition.Length > 0 ? " " + condition : "").Append(" {\n");
            if (Field(mutation, "setNquads") is { Length: > 0 } set)
            {
                text.Append("    set {\n").Append(set).Append("\n    }\n");
            }

            if (Field(mutation, "delNquads") is { Length: > 0 } delete)
            {
                text.Append("    delete {\n").Append(delete).Append("\n    }\n");
            }

            text.Append("  }\n");
        }

        return text.Append('}').ToString();
    }

    private static void Embed(Utf8JsonWriter writer, string name, string json)
    {
        if (json.Length == 0)
        {
            return;
        }

        writer.WritePropertyName(name);
        using var document = JsonDocument.Parse(json);
        document.RootElement.WriteTo(writer);
    }

    private static string Field(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static byte[] Response(string json, Dictionary<string, string>? uids) => ModusJson.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("Json", json);
        writer.WritePropertyName("Uids");
        if (uids is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStartArray();
            foreach (var (key, value) in uids)
            {
                writer.WriteStartObject();
                writer.WriteString("key", key);
                writer.WriteString("value", value);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    });

    /// <summary>Posts to the connection's HTTP API and returns the answer's <c>data</c>; Dgraph's <c>errors</c> become a logged failure.</summary>
    private JsonElement Post(ModusHostCall call, JsonElement[] arguments, string path, string body, string contentType)
    {
        var name = ModusJson.String(arguments, 0) ?? "";
        if (call.App.Modus.Connections.GetValueOrDefault(name) is not ModusDgraphConnection connection)
        {
            throw new ModusHostException($"{call.Function}: no dgraph connection named '{name}' is declared in {ModusManifest.FileName}");
        }

        var spec = new HttpConnectionSpec { Name = connection.Name, BaseUrl = "http://dgraph/" };
        var (baseUrl, headers) = Target(connection, spec, call);
        using var budget = call.Capabilities.Budget(call.Function, spec.TimeoutMs);
        using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(baseUrl + path)) { Content = new StringContent(body, Encoding.UTF8) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        foreach (var (header, value) in headers)
        {
            message.Headers.TryAddWithoutValidation(header, value);
        }

        byte[] answer;
        try
        {
            using var response = http.Send(message, budget, call.Function, $"dgraph connection '{name}'");
            answer = OutboundHttp.ReadBody(response, spec.MaxResponseBytes, budget, call.Function, $"dgraph connection '{name}'", "the response limit");
        }
        catch (CapabilityException ex)
        {
            throw new ModusHostException(SecretScrubber.Scrub(ex.Message, call.Capabilities.Secrets));
        }

        try
        {
            using var document = JsonDocument.Parse(answer);
            var root = document.RootElement;
            if (root.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
            {
                var first = errors[0].TryGetProperty("message", out var text) ? text.GetString() : errors[0].GetRawText();
                throw new ModusHostException($"{call.Function}: Dgraph answered: {first}");
            }

            return root.TryGetProperty("data", out var data) ? data.Clone() : root.Clone();
        }
        catch (JsonException)
        {
            throw new ModusHostException($"{call.Function}: dgraph connection '{name}' answered with something that is not JSON");
        }
    }

    private (string BaseUrl, List<(string, string)> Headers) Target(ModusDgraphConnection connection, HttpConnectionSpec spec, ModusHostCall call)
    {
        var headers = new List<(string, string)>();
        string host;
        var https = false;
        if (connection.ConnString is { } connString)
        {
            var uri = new Uri(secrets.Fill(connString, spec, call.Capabilities, call.Function));
            host = uri.IsDefaultPort || uri.Port < 0 ? uri.Host + ":9080" : uri.Authority;
            foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var parts = pair.Split('=', 2);
                var value = parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "";
                switch (parts[0])
                {
                    case "sslmode":
                        https = value is "verify-ca" or "require";
                        break;
                    case "apikey":
                        headers.Add(("X-Auth-Token", value));
                        break;
                    case "bearertoken":
                        headers.Add(("Authorization", "Bearer " + value));
                        break;
                }
            }
        }
        else
        {
            host = connection.GrpcTarget!;
            https = !host.StartsWith("localhost", StringComparison.OrdinalIgnoreCase) && !host.StartsWith("127.", StringComparison.Ordinal);
        }

        if (connection.Key is { Length: > 0 } key)
        {
            headers.Add(("X-Auth-Token", secrets.Fill(key, spec, call.Capabilities, call.Function)));
        }

        if (host.EndsWith(":9080", StringComparison.Ordinal))
        {
            host = host[..^5] + ":8080";
        }

        return ((https ? "https://" : "http://") + host, headers);
    }
}
