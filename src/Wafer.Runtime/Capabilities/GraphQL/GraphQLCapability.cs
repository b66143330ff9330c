using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Wafer.Protocol.Manifest;
using Wafer.Runtime.Capabilities.Http;
using Wafer.Runtime.Capabilities.Secrets;
using Wafer.Runtime.Hosting;

namespace Wafer.Runtime.Capabilities.GraphQL;

/// <summary>
/// <c>graphql.execute</c>: POSTs <c>{query, variables}</c> to a declared <c>graphql</c> connection (Dgraph,
/// Hasura, any GraphQL-over-HTTP server) with its headers, and hands back the JSON response as is, errors
/// included. An answer that is not JSON, or a failed status without GraphQL errors, is a failure.
/// </summary>
internal sealed class GraphQLCapability(OutboundHttp http, ConnectionSecrets secrets, IOptions<RuntimeOptions> options) : IHostCapability
{
    private readonly GraphQLConnectionSpec? _dgraph = DgraphConnection.From(options.Value.Dgraph);

    public const string Operation = "graphql.execute";

    public IReadOnlyList<string> Operations { get; } = [Operation];

    public byte[] Invoke(string operation, JsonElement request, CapabilityCall call)
    {
        CapabilityRequest.OnlyFields(request, Operation, "connection", "query", "variables", "operationName");
        var name = CapabilityRequest.String(request, "connection", Operation);
        var query = CapabilityRequest.String(request, "query", Operation);
        var operationName = CapabilityRequest.OptionalString(request, "operationName", Operation);
        var variables = CapabilityRequest.Optional(request, "variables");
        if (variables is { ValueKind: not JsonValueKind.Object })
        {
            throw new CapabilityException($"{Operation}: \"variables\" must be a JSON object or null");
        }

        var manifest = call.Plugin.Manifest;
        if (!manifest.Connections.TryGetValue(name, out var declared))
        {
            declared = name == DgraphConnection.Name && _dgraph is not null
                ? _dgraph
                : throw new CapabilityException($"{Operation}: no connection named '{name}' is declared in the manifest"
                    + (name == DgraphConnection.Name ? " (or given to every plugin with --dgraph URL)" : ""));
        }

        var connection = declared as GraphQLConnectionSpec
            ?? throw new CapabilityException($"{Operation}: connection '{name}' is a {declared.Type} connection, not graphql");
        var endpointText = secrets.Fill(connection.Endpoint, connection, call, Operation);
        if (!Uri.TryCreate(endpointText, UriKind.Absolute, out var endpoint) || endpoint.Scheme is not ("http" or "https"))
        {
            throw new CapabilityException($"{Operation}: connection '{name}': the endpoint with its secrets filled in is not a valid URL");
        }

        var headers = secrets.FillEach(connection.Headers, connection, call, Operation);
        using var budget = call.Budget(Operation, connection.TimeoutMs);
        using var message = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(Body(query, variables, operationName)) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        foreach (var (header, value) in headers)
        {
            message.Headers.Remove(header);
            if (!message.Headers.TryAddWithoutValidation(header, value))
            {
                message.Content.Headers.Remove(header);
                message.Content.Headers.TryAddWithoutValidation(header, value);
            }
        }

        var shown = $"connection '{name}'";
        using var response = http.Send(message, budget, Operation, shown);
        var body = OutboundHttp.ReadBody(response, connection.MaxResponseBytes, budget, Operation, shown, $"connection '{name}' maxResponseBytes");
        if (!IsGraphQLResponse(body))
        {
            throw new CapabilityException(response.IsSuccessStatusCode
                ? $"{Operation}: {shown} answered {(int)response.StatusCode} with something that is not a GraphQL JSON response"
                : $"{Operation}: {shown} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        return body;
    }

    private static byte[] Body(string query, JsonElement? variables, string? operationName)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("query", query);
            if (variables is { } v)
            {
                writer.WritePropertyName("variables");
                v.WriteTo(writer);
            }

            if (operationName is not null)
            {
                writer.WriteString("operationName", operationName);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static bool IsGraphQLResponse(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                   (document.RootElement.TryGetProperty("data", out _) || document.RootElement.TryGetProperty("errors", out _));
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
