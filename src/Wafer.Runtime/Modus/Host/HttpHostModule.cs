using System.Text;
using System.Text.Json;
using Wafer.Protocol.Modus;
using Wafer.Runtime.Capabilities.Http;

namespace Wafer.Runtime.Modus.Host;

/// <summary>
/// <c>modus_http_client.fetch</c> and <c>modus_graphql_client.executeQuery</c>, both through Wafer's
/// <c>http.fetch</c> capability: only to URLs under the app's http connections, with their headers and secrets
/// added host-side, bounded in time and size, secrets scrubbed from what comes back. A refused or failed
/// request is logged for the call and the guest gets null (its SDK then throws "HTTP fetch failed").
/// </summary>
internal sealed class HttpHostModule : IModusHostModule
{
    public IReadOnlyDictionary<string, ModusHostFunction> Functions { get; } = new Dictionary<string, ModusHostFunction>
    {
        ["modus_http_client.fetch"] = Fetch,
        ["modus_graphql_client.executeQuery"] = ExecuteQuery,
    };

    private static byte[]? Fetch(ModusHostCall call, JsonElement[] arguments)
    {
        if (arguments.Length == 0 || arguments[0].ValueKind != JsonValueKind.Object)
        {
            throw new ModusHostException($"{call.Function}: the request is missing");
        }

        var request = arguments[0];
        var url = request.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : "";
        var method = request.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "GET";
        var headers = new List<(string, string)>();
        if (request.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object &&
            h.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array)
        {
            foreach (var pair in data.EnumerateArray())
            {
                if (pair.TryGetProperty("value", out var header) && header.ValueKind == JsonValueKind.Object &&
                    header.TryGetProperty("name", out var name) && header.TryGetProperty("values", out var values) && values.ValueKind == JsonValueKind.Array)
                {
                    headers.AddRange(values.EnumerateArray().Select(v => (name.GetString()!, v.GetString() ?? "")));
                }
            }
        }

        var body = request.TryGetProperty("body", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
        var response = Send(call, url, method, headers, body);
        return ModusJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("status", response.GetProperty("status").GetInt32());
            writer.WriteString("statusText", response.GetProperty("statusText").GetString());
            writer.WriteStartObject("headers");
            writer.WriteStartArray("data");
            foreach (var group in response.GetProperty("headers").EnumerateArray()
                         .Select(p => (Name: p[0].GetString()!, Value: p[1].GetString()!))
                         .GroupBy(p => p.Name.ToLowerInvariant()))
            {
                writer.WriteStartObject();
                writer.WriteString("key", group.Key);
                writer.WriteStartObject("value");
                writer.WriteString("name", group.First().Name);
                writer.WriteStartArray("values");
                foreach (var (_, value) in group)
                {
                    writer.WriteStringValue(value);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteString("body", response.GetProperty("body").GetString());
            writer.WriteEndObject();
        });
    }

    /// <summary>POSTs <c>{query, variables}</c> to an http connection's URL and returns the response body as text.</summary>
    private static byte[]? ExecuteQuery(ModusHostCall call, JsonElement[] arguments)
    {
        var name = ModusJson.String(arguments, 0) ?? "";
        if (call.App.Modus.Connections.GetValueOrDefault(name) is not ModusHttpConnection connection)
        {
            throw new ModusHostException($"{call.Function}: no http connection named '{name}' is declared in {ModusManifest.FileName}");
        }

        var statement = ModusJson.String(arguments, 1) ?? "";
        var variables = ModusJson.String(arguments, 2);
        var body = ModusJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("query", statement);
            writer.WritePropertyName("variables");
            if (string.IsNullOrWhiteSpace(variables))
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
            else
            {
                using var parsed = JsonDocument.Parse(variables);
                parsed.RootElement.WriteTo(writer);
            }

            writer.WriteEndObject();
        });
        var response = Send(call, connection.Url, "POST", [("Content-Type", "application/json"), ("Accept", "application/json")], Convert.ToBase64String(body));
        var text = Encoding.UTF8.GetString(Convert.FromBase64String(response.GetProperty("body").GetString()!));
        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            throw new ModusHostException($"{call.Function}: connection '{name}' answered {response.GetProperty("status").GetInt32()} with something that is not JSON");
        }

        return ModusJson.Of(text);
    }

    /// <summary>One request through <c>http.fetch</c>; its JSON answer (status, statusText, headers, base64 body) or a logged failure.</summary>
    internal static JsonElement Send(ModusHostCall call, string url, string method, IEnumerable<(string Name, string Value)> headers, string? base64Body)
    {
        var request = ModusJson.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("url", url);
            writer.WriteString("method", method.ToUpperInvariant());
            writer.WriteStartArray("headers");
            foreach (var (name, value) in headers)
            {
                writer.WriteStartArray();
                writer.WriteStringValue(name);
                writer.WriteStringValue(value);
                writer.WriteEndArray();
            }

            writer.WriteEndArray();
            if (!string.IsNullOrEmpty(base64Body))
            {
                writer.WriteString("body", base64Body);
            }

            writer.WriteEndObject();
        });
        var result = call.Dispatcher.Dispatch(call.Capabilities, HttpFetchCapability.Operation, request);
        if (!result.Succeeded)
        {
            throw new ModusHostException($"{call.Function}: {result.Error}");
        }

        using var document = JsonDocument.Parse(result.Payload);
        return document.RootElement.Clone();
    }
}
