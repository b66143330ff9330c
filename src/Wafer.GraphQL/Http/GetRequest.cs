using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Http;

namespace Wafer.GraphQL.Http;

/// <summary>
/// A GraphQL request from the parameters of <c>GET /graphql</c>: <c>query</c>, <c>operationName</c>, and
/// <c>variables</c> and <c>extensions</c> as JSON objects (URL-encoded).
/// </summary>
internal static class GetRequest
{
    public static GraphQLRequest? Read(IQueryCollection parameters, IGraphQLTextSerializer serializer, out string? problem)
    {
        var query = Single(parameters, "query");
        if (string.IsNullOrWhiteSpace(query))
        {
            problem = "a GET needs a 'query' parameter, like /graphql?query={field}";
            return null;
        }

        var request = new GraphQLRequest { Query = query, OperationName = Single(parameters, "operationName") is { Length: > 0 } name ? name : null };
        if (!TryInputs(parameters, "variables", serializer, out var variables, out problem)
            || !TryInputs(parameters, "extensions", serializer, out var extensions, out problem))
        {
            return null;
        }

        request.Variables = variables;
        request.Extensions = extensions;
        return request;
    }

    private static string? Single(IQueryCollection parameters, string name) =>
        parameters.TryGetValue(name, out var values) && values.Count > 0 ? values[^1] : null;

    private static bool TryInputs(IQueryCollection parameters, string name, IGraphQLTextSerializer serializer, out Inputs? inputs, out string? problem)
    {
        inputs = null;
        problem = null;
        if (Single(parameters, name) is not { Length: > 0 } json || json == "null")
        {
            return true;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = $"the '{name}' parameter must be a JSON object";
                return false;
            }

            inputs = serializer.Deserialize<Inputs>(json);
            return true;
        }
        catch (JsonException ex)
        {
            problem = $"the '{name}' parameter is not valid JSON: {ex.Message}";
            return false;
        }
    }
}
