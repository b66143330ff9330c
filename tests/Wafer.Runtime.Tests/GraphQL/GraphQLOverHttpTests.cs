using System.Net;

namespace Wafer.Runtime.Tests.GraphQL;

/// <summary>GraphQL over HTTP: content negotiation by Accept with q-values, GET requests, and their status codes.</summary>
public sealed class GraphQLOverHttpTests : IAsyncLifetime
{
    private GraphQLHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await GraphQLHost.StartAsync();
        _host.Load("hello");
        _host.Load("slow", timeoutMs: 100);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Theory]
    [InlineData(null, "application/graphql-response+json")]
    [InlineData("*/*", "application/graphql-response+json")]
    [InlineData("application/json", "application/json")]
    [InlineData("application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("application/graphql-response+json;q=0.5, application/json", "application/json")]
    [InlineData("application/json;q=0.9, application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("application/graphql-response+json;q=0.1, application/json;q=0.2", "application/json")]
    [InlineData("application/*;q=0.3, application/graphql-response+json;q=0", "application/json")]
    [InlineData("text/html, application/json;q=0.1", "application/json")]
    [InlineData("application/json; charset=utf-16, application/graphql-response+json;q=0.5", "application/graphql-response+json")]
    public async Task Post_Accept_AnswersTheTypeTheClientPrefers(string? accept, string expected)
    {
        var (response, body) = await _host.PostAsync("""{"query":"{ hello }"}""", accept: accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("""{"data":{"hello":"Hello, world!"}}""", body);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/json;q=0, application/graphql-response+json;q=0")]
    [InlineData("application/xml, image/*")]
    public async Task Post_AcceptOfNothingServable_Is406AndRunsNothing(string accept)
    {
        var before = _host.Counters.Completed;

        var (response, body) = await _host.PostAsync("""{"query":"{ hello }"}""", accept: accept);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        var error = JsonDocument.Parse(body).RootElement.GetProperty("errors")[0];
        Assert.Equal("not_acceptable", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Contains("application/graphql-response+json, application/json", error.GetProperty("message").GetString());
        Assert.Equal(before, _host.Counters.Completed);
    }

    [Fact]
    public async Task Post_WithoutContentType_Is415()
    {
        var (response, body) = await _host.PostAsync("""{"query":"{ hello }"}""", contentType: null);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("needs the header Content-Type: application/json", body);
    }

    [Fact]
    public async Task Post_JsonInAnotherCharset_Is415()
    {
        var (response, body) = await _host.PostAsync("""{"query":"{ hello }"}""", contentType: "application/json; charset=latin1");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("must be UTF-8", body);
    }

    [Theory]
    [InlineData("application/json", "application/json")]
    [InlineData("application/graphql-response+json", "application/graphql-response+json")]
    [InlineData("*/*", "application/graphql-response+json")]
    public async Task Get_Query_RunsIt(string accept, string expected)
    {
        var (response, body) = await _host.GetAsync("/graphql?query=" + Uri.EscapeDataString("query Q($v: String!) { greet(name: $v) }") +
            "&operationName=Q&variables=" + Uri.EscapeDataString("""{"v":"by get"}"""), accept);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"data":{"greet":"Hello, by get!"}}""", body);
    }

    [Fact]
    public async Task Get_Mutation_Is405WithAllowPostAndRunsNothing()
    {
        var before = _host.Counters.Completed;

        var (response, body) = await _host.GetAsync("/graphql?query=" + Uri.EscapeDataString("mutation { startSpin }"), "application/graphql-response+json");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        Assert.Contains("cannot run over GET: send it with POST", body);
        Assert.Equal(before, _host.Counters.Completed);
    }

    [Fact]
    public async Task Get_BrowserWithAQuery_IsSentToTheConsolesExplorerWithItsQuery()
    {
        var (response, _) = await _host.GetAsync("/graphql?query=%7B%20hello%20%7D", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/#/explorer?query=%7B%20hello%20%7D", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/graphql", "a GET needs a 'query' parameter")]
    [InlineData("/graphql?query=%7Bhello%7D&variables=%5B1%5D", "'variables' parameter must be a JSON object")]
    [InlineData("/graphql?query=%7Bhello%7D&variables=%7Bnope", "'variables' parameter is not valid JSON")]
    public async Task Get_BadParameters_Is400(string path, string message)
    {
        var (response, body) = await _host.GetAsync(path, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, body);
    }

    [Fact]
    public async Task Get_ValidationError_Is400AsGraphQLResponseAnd200AsJson()
    {
        var path = "/graphql?query=" + Uri.EscapeDataString("{ nope }");

        var (graphQL, _) = await _host.GetAsync(path, "application/graphql-response+json");
        var (json, jsonBody) = await _host.GetAsync(path, "application/json");

        Assert.Equal(HttpStatusCode.BadRequest, graphQL.StatusCode);
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
        Assert.Contains("FIELDS_ON_CORRECT_TYPE", jsonBody);
    }
}
