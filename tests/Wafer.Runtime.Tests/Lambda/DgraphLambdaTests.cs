using System.Net;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Lambda;

/// <summary>
/// <c>POST /graphql-worker</c> with the request bodies Dgraph Alpha sends. The <c>lambda</c> fixture's functions
/// return their positional argument array as a string, so each test sees exactly what a call received.
/// </summary>
public sealed class DgraphLambdaTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await RuntimeServer.StartAsync(["lambda"]);
        File.WriteAllText(Path.Combine(_server.PluginsPath, "lambda.wafer.json"),
            """{ "name": "lambda", "resolvers": { "Query.aliased": "renamed", "Author.add": "onAuthorAdd", "Author.delete": "onEvent", "Book.add": "onBookAdd" } }""");
        await _server.Services.GetRequiredService<PluginReloader>().ScanAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private Task<(HttpResponseMessage Response, JsonElement Body)> PostAsync(object body) =>
        _server.PostJsonAsync("/graphql-worker", body as string ?? JsonSerializer.Serialize(body));

    [Fact]
    public async Task RootQuery_CallsTheFunctionNamedLikeTheField_AnswersItsValue()
    {
        var (response, body) = await PostAsync(new { resolver = "Query.getPerson", args = new { id = "0x1" }, parents = (object?)null });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[\"0x1\"]", body.GetString());
        Assert.NotEmpty(response.Headers.GetValues("X-Wafer-Call-Id"));
    }

    [Fact]
    public async Task Mutation_WithoutParents_IsOneCall()
    {
        var (_, body) = await PostAsync(new { resolver = "Mutation.getPerson", args = new { id = "0x2" } });
        Assert.Equal("[\"0x2\"]", body.GetString());
    }

    [Fact]
    public async Task FieldResolver_CallsOncePerParent_AnswersAnArray()
    {
        var (response, body) = await PostAsync(new
        {
            resolver = "Person.fullName",
            args = new { suffix = "Jr" },
            parents = new object[]
            {
                new { id = "0x1", firstName = "Ada", lastName = "Lovelace" },
                new { firstName = "Alan", lastName = "Turing", extra = new[] { 1 } },
            },
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            ["[{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"},\"Jr\"]", "[{\"firstName\":\"Alan\",\"lastName\":\"Turing\"},\"Jr\"]"],
            body.EnumerateArray().Select(e => e.GetString()).ToArray());
    }

    [Fact]
    public async Task FieldResolver_StringParent_GetsTheParentAsJsonText()
    {
        var (_, body) = await PostAsync(new { resolver = "Person.rawParent", parents = new[] { new { id = "0x9" } } });
        var args = JsonDocument.Parse(body[0].GetString()!).RootElement;
        Assert.Equal("{\"id\":\"0x9\"}", args[0].GetString());
    }

    [Fact]
    public async Task FieldResolver_FunctionWithoutParentParameter_StillAnswersOneValuePerParent()
    {
        var (_, body) = await PostAsync(new { resolver = "Person.constant", args = new { }, parents = new[] { new { id = "a" }, new { id = "b" } } });
        Assert.Equal(["[]", "[]"], body.EnumerateArray().Select(e => e.GetString()).ToArray());
    }

    [Fact]
    public async Task AuthHeader_IsPassedWhenTheFunctionDeclaresIt()
    {
        var (_, body) = await PostAsync(new { resolver = "Query.whoami", args = new { }, authHeader = new { key = "X-My-App-Auth", value = "jwt-token" } });
        Assert.Equal("[\"jwt-token\"]", body.GetString());
        var (_, without) = await PostAsync(new { resolver = "Query.whoami" });
        Assert.Equal("[null]", without.GetString());
    }

    [Fact]
    public async Task ManifestMapping_RoutesTheResolverToTheNamedFunction()
    {
        var (_, body) = await PostAsync(new { resolver = "Query.aliased", args = new { id = "7" } });
        Assert.Equal("[\"7\"]", body.GetString());
    }

    /// <summary>Bodies exactly as Dgraph Alpha builds them (graphql/resolve: source, namespace, no args for fields, no authHeader without a Dgraph.Authorization header).</summary>
    [Fact]
    public async Task DgraphsOwnBodies_FieldQueryMutationAndWebhook_AllRun()
    {
        var (field, fieldBody) = await PostAsync("""
            {"source":"","namespace":0,"resolver":"Person.rank","parents":[{"id":"0x1","firstName":"Ada","lastName":"Lovelace"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, field.StatusCode);
        Assert.Equal(["[{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"}]"], fieldBody.EnumerateArray().Select(e => e.GetString()).ToArray());

        var (optional, optionalBody) = await PostAsync("""
            {"source":"","namespace":0,"resolver":"Person.fullName","parents":[{"firstName":"Ada","lastName":"Lovelace"}]}
            """);
        Assert.Equal(HttpStatusCode.OK, optional.StatusCode);
        Assert.Equal(["[{\"firstName\":\"Ada\",\"lastName\":\"Lovelace\"},null]"], optionalBody.EnumerateArray().Select(e => e.GetString()).ToArray());

        var (query, queryBody) = await PostAsync("""{"source":"","namespace":0,"resolver":"Query.getPerson","args":{"id":"0x1"}}""");
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal("[\"0x1\"]", queryBody.GetString());

        var (mutation, mutationBody) = await PostAsync("""{"source":"","namespace":0,"resolver":"Mutation.getPerson","args":{"id":"0x2"}}""");
        Assert.Equal(HttpStatusCode.OK, mutation.StatusCode);
        Assert.Equal("[\"0x2\"]", mutationBody.GetString());

        // A webhook whose event class omits add.input, without an authHeader: it runs with what it declares, and "".
        var (webhook, webhookBody) = await PostAsync("""
            {"source":"","namespace":0,"resolver":"$webhook",
             "event":{"__typename":"Book","operation":"add","commitTs":9,"add":{"rootUIDs":["0x5"],"input":[{"title":"Dune","author":{"name":"Frank"}}]}}}
            """);
        Assert.Equal(HttpStatusCode.OK, webhook.StatusCode);
        Assert.Equal("[{\"operation\":\"add\",\"commitTs\":9,\"add\":{\"rootUIDs\":[\"0x5\"]}},\"\"]", webhookBody.GetString());
    }

    [Fact]
    public async Task Webhook_GoesToTheFunctionTheManifestMapsTypeAndOperationTo()
    {
        var (response, body) = await PostAsync("""
            {"source":"lambda","resolver":"$webhook","authHeader":{"key":"X-Auth","value":"jwt"},
             "event":{"__typename":"Author","operation":"add","commitTs":42,"add":{"rootUIDs":["0x1"],"input":[{"name":"A"}]}}}
            """);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[{\"operation\":\"add\",\"commitTs\":42,\"add\":{\"rootUIDs\":[\"0x1\"]}},\"jwt\"]", body.GetString());

        var (_, raw) = await PostAsync("""{"resolver":"$webhook","event":{"__typename":"Author","operation":"delete","commitTs":7,"delete":{"rootUIDs":["0x2"]}}}""");
        var args = JsonDocument.Parse(raw.GetString()!).RootElement;
        Assert.Equal("""{"__typename":"Author","operation":"delete","commitTs":7,"delete":{"rootUIDs":["0x2"]}}""", args[0].GetString());
    }

    [Theory]
    [InlineData("""{"resolver":"$webhook","event":{"__typename":"Author","operation":"update"}}""", HttpStatusCode.NotFound, "no function serves webhook 'Author.update': map it in a manifest's \"resolvers\"")]
    [InlineData("""{"resolver":"$webhook"}""", HttpStatusCode.BadRequest, "a webhook (\"resolver\": \"$webhook\") needs an \"event\" object")]
    [InlineData("""{"resolver":"$webhook","event":{"operation":"add"}}""", HttpStatusCode.BadRequest, "a webhook's \"event\" needs \"__typename\" and \"operation\" strings")]
    [InlineData("""{"resolver":"$other"}""", HttpStatusCode.NotFound, "'$other' is not a resolver Dgraph sends")]
    [InlineData("""{"resolver":"Query.nothingHere"}""", HttpStatusCode.NotFound, "no function serves resolver 'Query.nothingHere': export a function named 'nothingHere' or map it in the manifest's \"resolvers\"")]
    [InlineData("""{"args":{}}""", HttpStatusCode.BadRequest, "\"resolver\" is missing")]
    [InlineData("""{"resolver":"Query.getPerson","args":[1]}""", HttpStatusCode.BadRequest, "\"args\" must be a JSON object")]
    [InlineData("""{"resolver":"Query.getPerson","parents":{}}""", HttpStatusCode.BadRequest, "\"parents\" must be an array or null")]
    [InlineData("""{"resolver":"Query.getPerson","args":{}}""", HttpStatusCode.BadRequest, "Query.getPerson (lambda/getPerson): missing argument 'id' (string)")]
    [InlineData("""{"resolver":"Query.getPerson","args":{"id":1}}""", HttpStatusCode.BadRequest, "Query.getPerson (lambda/getPerson): argument 'id' must be a string")]
    [InlineData("""{"resolver":""", HttpStatusCode.BadRequest, "the request body is not valid JSON")]
    [InlineData("""[]""", HttpStatusCode.BadRequest, "the body must be a JSON object")]
    public async Task BadRequest_AnswersGraphQLStyleErrors(string body, HttpStatusCode status, string expected)
    {
        var (response, json) = await PostAsync(body);
        Assert.Equal(status, response.StatusCode);
        Assert.StartsWith(expected, json.GetProperty("errors")[0].GetProperty("message").GetString());
    }

    [Fact]
    public async Task ResolverMappedToAMissingFunction_RefusesThePlugin()
    {
        await using var server = await RuntimeServer.StartAsync([]);
        RuntimeServer.CopyGuest("lambda", server.PluginsPath, "dangling");
        File.WriteAllText(Path.Combine(server.PluginsPath, "dangling.wafer.json"), """{ "name": "dangling", "resolvers": { "Query.x": "notExported" } }""");
        await server.Services.GetRequiredService<PluginReloader>().ScanAsync();

        var status = server.Services.GetRequiredService<PluginReloader>().Status.Single();
        Assert.Equal(PluginSourceStatus.Refused, status.State);
        Assert.Equal("bad manifest: $.resolvers[\"Query.x\"] names 'notExported', which the module does not export", status.Error);
    }

    [Fact]
    public async Task ResolverMappedByTwoPlugins_IsAmbiguous()
    {
        await using var server = await RuntimeServer.StartAsync([]);
        foreach (var name in new[] { "one", "two" })
        {
            RuntimeServer.CopyGuest("lambda", server.PluginsPath, name);
            File.WriteAllText(Path.Combine(server.PluginsPath, name + ".wafer.json"), $$"""{ "name": "{{name}}", "resolvers": { "Query.both": "constant" } }""");
        }

        await server.Services.GetRequiredService<PluginReloader>().ScanAsync();
        var (response, json) = await server.PostJsonAsync("/graphql-worker", """{"resolver":"Query.both"}""");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("resolver 'Query.both' is mapped by several plugins: one/constant, two/constant", json.GetProperty("errors")[0].GetProperty("message").GetString());
    }
}
