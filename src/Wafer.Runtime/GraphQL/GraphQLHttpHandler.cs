using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Wafer.Runtime.Http;

namespace Wafer.Runtime.GraphQL;

/// <summary>
/// GraphQL over HTTP (graphql-over-http spec) for <c>application/json</c> requests. Request errors (malformed
/// body, no query, too large) are 4xx with a GraphQL-style <c>{"errors": […]}</c> body. Parse and validation
/// errors are 400 when the client accepts <c>application/graphql-response+json</c>, else 200; execution errors
/// are 200 with <c>data</c> and <c>errors</c>.
/// </summary>
public static class GraphQLHttpHandler
{
    private const string JsonMediaType = "application/json";
    private const string GraphQLResponseMediaType = "application/graphql-response+json";

    private static readonly IGraphQLTextSerializer Serializer = GraphQLJson.Serializer;

    public static async Task PostAsync(HttpContext context, ISchemaSource source, int maxRequestBytes)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(source);
        var request = context.Request;
        if (request.ContentType is { } contentType
            && (!MediaTypeHeaderValue.TryParse(contentType, out var mediaType) || !mediaType.MediaType.Equals(JsonMediaType, StringComparison.OrdinalIgnoreCase)))
        {
            await WriteRequestErrorAsync(context, StatusCodes.Status415UnsupportedMediaType, $"content type must be {JsonMediaType}, got '{contentType}'");
            return;
        }

        var limit = maxRequestBytes;
        var body = await RequestBody.ReadAsync(request.BodyReader, request.ContentLength, limit, context.RequestAborted);
        if (body is null)
        {
            await WriteRequestErrorAsync(context, StatusCodes.Status413PayloadTooLarge, $"request body is larger than {limit} bytes");
            return;
        }

        GraphQLRequest? graphQLRequest;
        try
        {
            using var stream = new MemoryStream(body, writable: false);
            graphQLRequest = await Serializer.ReadAsync<GraphQLRequest>(stream, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            await WriteRequestErrorAsync(context, StatusCodes.Status400BadRequest, $"request body is not a valid GraphQL request: {ex.Message}");
            return;
        }

        if (graphQLRequest is null || string.IsNullOrWhiteSpace(graphQLRequest.Query))
        {
            await WriteRequestErrorAsync(context, StatusCodes.Status400BadRequest,
                "request body must be a JSON object with a 'query' string, like {\"query\": \"{ field }\", \"variables\": {}}");
            return;
        }

        var result = await source.Executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = source.Current.Schema,
            Query = graphQLRequest.Query,
            OperationName = graphQLRequest.OperationName,
            Variables = graphQLRequest.Variables,
            Extensions = graphQLRequest.Extensions,
            RequestServices = context.RequestServices,
            User = context.User,
            CancellationToken = context.RequestAborted,
        });

        var graphQLResponse = AcceptsGraphQLResponse(request);
        context.Response.StatusCode = graphQLResponse && !result.Executed ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        context.Response.ContentType = (graphQLResponse ? GraphQLResponseMediaType : JsonMediaType) + "; charset=utf-8";
        await Serializer.WriteAsync(context.Response.Body, result, context.RequestAborted);
    }

    public static Task GetAsync(HttpContext context, ISchemaSource source)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.Query.ContainsKey("sdl"))
        {
            return SchemaAsync(context, source);
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        return context.Response.WriteAsync(GraphQLExplorerPage.Html, context.RequestAborted);
    }

    public static Task SchemaAsync(HttpContext context, ISchemaSource source)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(source);
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(source.Current.Sdl, context.RequestAborted);
    }

    private static bool AcceptsGraphQLResponse(HttpRequest request)
    {
        foreach (var accept in request.Headers.Accept)
        {
            if (accept is not null && accept.Contains(GraphQLResponseMediaType, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static Task WriteRequestErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = (AcceptsGraphQLResponse(context.Request) ? GraphQLResponseMediaType : JsonMediaType) + "; charset=utf-8";
        return Serializer.WriteAsync(context.Response.Body, new ExecutionResult(new ExecutionError(message)), context.RequestAborted);
    }
}
