using System.Net;

namespace Wafer.Runtime.Tests.GraphQL;

public sealed class GraphQLEndpointTests : IAsyncLifetime
{
    private GraphQLHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await GraphQLHost.StartAsync(maxRequestBytes: 2048);

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Post_Query_IsExecutedAsGraphQLResponseWhenNoAcceptIsSent()
    {
        var (response, body) = await _host.QueryAsync("{ __typename }");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/graphql-response+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"data":{"__typename":"Query"}}""", body);
    }

    [Fact]
    public async Task Post_VariablesAndOperationName_AreUsed()
    {
        var (response, body) = await _host.PostAsync("""
            {"query": "query A { a: __typename } query B($x: Boolean!) { b: __typename @include(if: $x) }", "operationName": "B", "variables": {"x": true}}
            """);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"data":{"b":"Query"}}""", body);
    }

    [Theory]
    [InlineData("{not json", "not a valid GraphQL request")]
    [InlineData("{}", "'query'")]
    [InlineData("""{"query": "  "}""", "'query'")]
    [InlineData("null", "'query'")]
    public async Task Post_MalformedRequest_Is400WithGraphQLErrors(string body, string message)
    {
        var (response, text) = await _host.PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = Assert.Single(JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateArray());
        Assert.Contains(message, error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Post_OtherContentType_Is415()
    {
        var (response, text) = await _host.PostAsync("{ __typename }", contentType: "application/graphql");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("content type must be application/json", text);
    }

    [Fact]
    public async Task Post_TooLarge_Is413()
    {
        var (response, text) = await _host.QueryAsync("{ __typename " + new string(' ', 4096) + "}");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger than 2048 bytes", text);
    }

    [Fact]
    public async Task Post_ValidationError_Is200ForJsonAnd400ForGraphQLResponse()
    {
        var (asJson, jsonBody) = await _host.QueryAsync("{ nope }", accept: "application/json");
        Assert.Equal(HttpStatusCode.OK, asJson.StatusCode);
        Assert.Equal("""{"errors":[{"message":"Cannot query field 'nope' on type 'Query'.","locations":[{"line":1,"column":3}],"extensions":{"code":"FIELDS_ON_CORRECT_TYPE","number":"5.3.1"}}]}""", jsonBody);

        var (asGraphQL, _) = await _host.QueryAsync("{ nope }", accept: "application/graphql-response+json");
        Assert.Equal(HttpStatusCode.BadRequest, asGraphQL.StatusCode);
        Assert.Equal("application/graphql-response+json", asGraphQL.Content.Headers.ContentType?.MediaType);

        var (parse, parseBody) = await _host.QueryAsync("{ __typename", accept: "application/graphql-response+json");
        Assert.Equal(HttpStatusCode.BadRequest, parse.StatusCode);
        Assert.Contains("SYNTAX_ERROR", parseBody);

        var (ok, _) = await _host.QueryAsync("{ __typename }", accept: "application/graphql-response+json");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Get_FromABrowser_IsSentToTheConsolesExplorer()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.TryAddWithoutValidation("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8");
        using var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/#/explorer", response.Headers.Location?.OriginalString);
        Assert.Contains("Accept", response.Headers.Vary);
    }

    [Theory]
    [InlineData("/graphql?sdl")]
    [InlineData("/graphql/schema")]
    public async Task Get_Sdl_ServesTheSchemaAsText(string path)
    {
        var response = await _host.Client.GetAsync(path);
        var sdl = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("# Wafer GraphQL schema", sdl);
        Assert.Contains("type Query {", sdl);
    }
}
