using System.Diagnostics;
using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Wafer.GraphQL.Http;
using Wafer.GraphQL.Subscriptions;
using Wafer.Hosting.Http;

namespace Wafer.GraphQL;

/// <summary>
/// GraphQL over HTTP (the graphql-over-http draft; docs/graphql.md, "HTTP") for one schema source.
/// <c>POST</c> takes <c>application/json</c>; <c>GET</c> takes the <c>query</c>, <c>operationName</c>,
/// <c>variables</c> and <c>extensions</c> parameters and runs queries only (a mutation is 405), or sends a client
/// that prefers HTML (a browser) to the console's explorer, the query it gave filled in. The answer is <c>application/graphql-response+json</c> or
/// <c>application/json</c> by the client's <c>Accept</c> (406 when it takes neither). A request that could not be
/// read is 4xx; one refused before running (parse, validation or a limit) is 400 as graphql-response+json and 200
/// as json; one that ran is 200, with its field errors. A client accepting only <c>text/event-stream</c> gets its
/// answer as server-sent events (graphql-sse, distinct connections), which is how subscriptions are served.
/// </summary>
public sealed class GraphQLHttpHandler
{
    private static readonly string[] PostOffers = [GraphQLMediaTypes.GraphQLResponse, GraphQLMediaTypes.Json, GraphQLMediaTypes.EventStream];
    private static readonly string[] GetQueryOffers =
        [GraphQLMediaTypes.GraphQLResponse, GraphQLMediaTypes.Json, GraphQLMediaTypes.Html, GraphQLMediaTypes.EventStream];
    private static readonly string[] GetPageOffers = [GraphQLMediaTypes.Html, GraphQLMediaTypes.GraphQLResponse, GraphQLMediaTypes.Json];
    private static readonly IGraphQLTextSerializer Serializer = GraphQLJson.Serializer;

    private readonly ISchemaSource _source;
    private readonly int _maxRequestBytes;
    private readonly GraphQLRequestRunner _runner;
    private readonly int _maxOpenStreams;
    private readonly ActivitySource? _tracing;
    private int _openStreams;

    /// <param name="tracing">The server's activity source for the <c>wafer.graphql</c> span of each request; null records none.</param>
    public GraphQLHttpHandler(ISchemaSource source, GraphQLOptions options, int maxRequestBytes, ActivitySource? tracing = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        _source = source;
        _maxRequestBytes = maxRequestBytes;
        _runner = new GraphQLRequestRunner(source, options);
        _maxOpenStreams = options.MaxOpenSubscriptions;
        _tracing = tracing;
    }

    public async Task PostAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (GraphQLMediaTypes.Negotiate(request.Headers.Accept, PostOffers) is not { } mediaType)
        {
            await NotAcceptableAsync(context, PostOffers);
            return;
        }

        if (ContentTypeProblem(request.ContentType) is { } problem)
        {
            await WriteRequestErrorAsync(context, mediaType, StatusCodes.Status415UnsupportedMediaType, problem);
            return;
        }

        var body = await RequestBody.ReadAsync(request.BodyReader, request.ContentLength, _maxRequestBytes, context.RequestAborted);
        if (body is null)
        {
            await WriteRequestErrorAsync(context, mediaType, StatusCodes.Status413PayloadTooLarge, $"request body is larger than {_maxRequestBytes} bytes");
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
            await WriteRequestErrorAsync(context, mediaType, StatusCodes.Status400BadRequest, $"request body is not a valid GraphQL request: {ex.Message}");
            return;
        }

        if (graphQLRequest is null || string.IsNullOrWhiteSpace(graphQLRequest.Query))
        {
            await WriteRequestErrorAsync(context, mediaType, StatusCodes.Status400BadRequest,
                "request body must be a JSON object with a 'query' string, like {\"query\": \"{ field }\", \"variables\": {}}");
            return;
        }

        await RunAsync(context, graphQLRequest, mediaType, viaGet: false);
    }

    public async Task GetAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = context.Request.Query;
        if (parameters.ContainsKey("sdl"))
        {
            await SchemaAsync(context);
            return;
        }

        var offers = parameters.ContainsKey("query") ? GetQueryOffers : GetPageOffers;
        var mediaType = GraphQLMediaTypes.Negotiate(context.Request.Headers.Accept, offers);
        if (mediaType is null)
        {
            await NotAcceptableAsync(context, offers);
            return;
        }

        if (mediaType == GraphQLMediaTypes.Html)
        {
            context.Response.Headers.Vary = HeaderNames.Accept;
            context.Response.Redirect(ConsoleExplorer(parameters["query"]));
            return;
        }

        if (GetRequest.Read(parameters, Serializer, out var problem) is not { } graphQLRequest)
        {
            await WriteRequestErrorAsync(context, mediaType, StatusCodes.Status400BadRequest, problem!);
            return;
        }

        await RunAsync(context, graphQLRequest, mediaType, viaGet: true);
    }

    public Task SchemaAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(_source.Current.Sdl, context.RequestAborted);
    }

    /// <summary>The console's explorer page (served at <c>/</c> by every Wafer server), opening <paramref name="query"/> when one was given.</summary>
    public static string ConsoleExplorer(string? query) =>
        string.IsNullOrEmpty(query) ? "/#/explorer" : "/#/explorer?query=" + Uri.EscapeDataString(query);

    private async Task RunAsync(HttpContext context, GraphQLRequest request, string mediaType, bool viaGet)
    {
        var span = GraphQLRequestSpan.Start(_tracing, context.Request, request); // null with tracing off
        if (span is null)
        {
            await AnswerAsync(context, request, mediaType, viaGet);
            return;
        }

        ExecutionResult? result = null;
        try
        {
            result = await AnswerAsync(context, request, mediaType, viaGet);
        }
        finally
        {
            GraphQLRequestSpan.End(span, result);
        }
    }

    private async Task<ExecutionResult> AnswerAsync(HttpContext context, GraphQLRequest request, string mediaType, bool viaGet)
    {
        var streamed = mediaType == GraphQLMediaTypes.EventStream;
        var outcome = await _runner.RunAsync(request, viaGet, streamed, context);
        if (streamed && !outcome.MutationOverGet)
        {
            await StreamAsync(context, outcome.Result);
            return outcome.Result;
        }

        var response = context.Response;
        if (outcome.MutationOverGet)
        {
            response.Headers.Allow = HttpMethods.Post;
            await WriteAsync(context, mediaType, StatusCodes.Status405MethodNotAllowed, outcome.Result);
            return outcome.Result;
        }

        var refused = !outcome.Result.Executed && mediaType == GraphQLMediaTypes.GraphQLResponse;
        await WriteAsync(context, mediaType, refused ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK, outcome.Result);
        return outcome.Result;
    }

    private async Task StreamAsync(HttpContext context, ExecutionResult result)
    {
        if (result.Streams is not { Count: > 0 } streams)
        {
            await EventStreamWriter.WriteSingleAsync(context, result);
            return;
        }

        if (Interlocked.Increment(ref _openStreams) > _maxOpenStreams)
        {
            Interlocked.Decrement(ref _openStreams);
            context.Response.Headers.RetryAfter = "5";
            await WriteRequestErrorAsync(context, GraphQLMediaTypes.Json, StatusCodes.Status503ServiceUnavailable,
                $"{_maxOpenStreams} subscriptions are open, the most this server serves at once; try again later");
            return;
        }

        try
        {
            await EventStreamWriter.WriteStreamAsync(context, streams.Values.First()); // validation allows one root field
        }
        finally
        {
            Interlocked.Decrement(ref _openStreams);
        }
    }

    /// <summary>Why a POST's content type is refused: none given, not JSON, or JSON in another charset than UTF-8.</summary>
    private static string? ContentTypeProblem(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return $"a POST needs the header Content-Type: {GraphQLMediaTypes.Json}";
        }

        if (!MediaTypeHeaderValue.TryParse(contentType, out var parsed) || !parsed.MediaType.Equals(GraphQLMediaTypes.Json, StringComparison.OrdinalIgnoreCase))
        {
            return $"content type must be {GraphQLMediaTypes.Json}, got '{contentType}'";
        }

        return parsed.Charset is { HasValue: true } charset
            && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase)
            ? $"the request must be UTF-8, got charset '{charset}'"
            : null;
    }

    private static Task NotAcceptableAsync(HttpContext context, IReadOnlyList<string> offers) => WriteAsync(
        context,
        GraphQLMediaTypes.Json,
        StatusCodes.Status406NotAcceptable,
        new ExecutionResult(new ExecutionError(
            $"none of the media types in Accept ('{context.Request.Headers.Accept}') can be served; this endpoint answers {string.Join(", ", offers)}")
        { Code = "not_acceptable" }));

    private static Task WriteRequestErrorAsync(HttpContext context, string mediaType, int status, string message) =>
        WriteAsync(context, mediaType, status, new ExecutionResult(new ExecutionError(message)));

    private static Task WriteAsync(HttpContext context, string mediaType, int status, ExecutionResult result)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = mediaType + "; charset=utf-8";
        context.Response.Headers.Vary = HeaderNames.Accept;
        return Serializer.WriteAsync(context.Response.Body, result, context.RequestAborted);
    }
}
