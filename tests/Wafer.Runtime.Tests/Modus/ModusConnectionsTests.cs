using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Npgsql;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Tests.Capabilities.Support;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Modus;

/// <summary>
/// Modus examples whose host functions go out through connections declared in their modus.json: GraphQL, models
/// (classification, embeddings, chat, Anthropic messages) and Dgraph against a local stand-in server (Dgraph cannot
/// be installed here: the stand-in speaks the part of its HTTP API the host uses), PostgreSQL for real, and
/// bearer-token auth with a key from MODUS_PEMS. Expected values are the fixtures README's.
/// </summary>
public sealed class ModusConnectionsTests : IAsyncLifetime
{
    private static readonly RSA SigningKey = RSA.Create(2048);

    private StandInServer _upstream = null!;
    private CapabilityHarness _harness = null!;
    private RuntimeServer Server => _harness.Runtime;

    public async ValueTask InitializeAsync()
    {
        _harness = await CapabilityHarness.StartAsync(Map, origin => """{"name":"hostcall"}""",
            dotEnv: "MODUS_PEMS=" + JsonSerializer.Serialize(new Dictionary<string, string> { ["test"] = SigningKey.ExportSubjectPublicKeyInfoPem() }) + "\n");
        _upstream = _harness.Upstream;
        var origin = _upstream.Origin;
        var models = $$$$"""
            "connections": {"models": {"type": "http", "baseUrl": "{{{{origin}}}}/"}},
            "models": {
              "my-classifier": {"sourceModel": "distilbert", "connection": "models", "path": "v1/classify"},
              "minilm": {"sourceModel": "minilm-l6", "connection": "models", "path": "v1/embed"},
              "openai-embeddings": {"sourceModel": "text-embedding-3-small", "connection": "models", "path": "v1/embeddings"},
              "text-generator": {"sourceModel": "gpt-4o-mini", "connection": "models", "path": "v1/chat/completions"}
            }
            """;
        ModusFixtures.Copy("graphql-example", Server.PluginsPath, "countries",
            $$$$"""{"connections": {"countries-api": {"type": "http", "endpoint": "{{{{origin}}}}/graphql"}}}""");
        ModusFixtures.Copy("classification-example", Server.PluginsPath, "classification", "{" + models + "}");
        ModusFixtures.Copy("embedding-example", Server.PluginsPath, "embedding", "{" + models + "}");
        ModusFixtures.Copy("text-generation-example", Server.PluginsPath, "textgen", "{" + models + "}");
        ModusFixtures.Copy("anthropic-functions-example", Server.PluginsPath, "anthropic", $$$$"""
            {"connections": {"anthropic": {"type": "http", "baseUrl": "{{{{origin}}}}/anthropic/", "headers": {"x-api-key": "{{API_KEY}}"}}},
             "models": {"text-generator": {"sourceModel": "claude-3-5-sonnet", "connection": "anthropic", "path": "v1/messages"}}}
            """);
        ModusFixtures.Copy("dgraph-example", Server.PluginsPath, "dgraph", $$$$"""{"connections": {"dgraph": {"type": "dgraph", "connString": "dgraph://{{{{_upstream.Address.Authority}}}}"}}}""");
        ModusFixtures.Copy("auth-example", Server.PluginsPath, "auth",
            """{"endpoints": {"default": {"type": "graphql", "path": "/graphql", "auth": "bearer-token"}}}""");
        ModusFixtures.Copy("neo4j-example", Server.PluginsPath, "neo4j");
        File.AppendAllText(Path.Combine(Server.PluginsPath, ".env"), "MODUS_ANTHROPIC_API_KEY=sk-ant-secret\n");
        await Server.Services.GetRequiredService<PluginReloader>().ScanAsync();
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    private static void Map(WebApplication app)
    {
        app.MapPost("/graphql", async (HttpContext c) =>
        {
            var body = await JsonDocument.ParseAsync(c.Request.Body);
            return body.RootElement.GetProperty("variables").TryGetProperty("code", out _)
                ? Results.Text("""{"data":{"country":{"code":"FR","name":"France","capital":"Paris"}}}""", "application/json")
                : Results.Text("""{"data":{"countries":[{"code":"AD","name":"Andorra","capital":"Andorra la Vella"},{"code":"AE","name":"United Arab Emirates","capital":"Abu Dhabi"}]}}""", "application/json");
        });
        app.MapPost("/v1/classify", () => Results.Text(
            """{"predictions":[{"label":"positive","confidence":0.9,"probabilities":[{"label":"positive","probability":0.9},{"label":"negative","probability":0.1}]}]}""", "application/json"));
        app.MapPost("/v1/embed", () => Results.Text("""{"predictions":[[0.5,0.25],[1,2]]}""", "application/json"));
        app.MapPost("/v1/embeddings", () => Results.Text(
            """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,0.25]}],"model":"m","usage":{"prompt_tokens":1,"total_tokens":1}}""", "application/json"));
        app.MapPost("/v1/chat/completions", async (HttpContext c) =>
        {
            var input = await new StreamReader(c.Request.Body).ReadToEndAsync();
            var content = input.Contains("json_object", StringComparison.Ordinal) ? """{"id":"1","name":"Boots","price":20.5,"description":"Warm."}""" : "  Hello there.  ";
            return Results.Text(JsonSerializer.Serialize(new
            {
                id = "c1", @object = "chat.completion", created = 1, model = "gpt", system_fingerprint = "fp",
                choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop", logprobs = (object?)null } },
                usage = new { completion_tokens = 3, prompt_tokens = 7, total_tokens = 10 },
            }), "application/json");
        });
        app.MapPost("/anthropic/v1/messages", () => Results.Text(
            """{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[{"type":"text","text":" I cannot know that. "}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}""",
            "application/json"));
        app.MapPost("/query", () => Results.Text(
            """{"data":{"people":[{"uid":"0x1","firstName":"Ada","lastName":"Lovelace","dgraph.type":["Person"]}]}}""", "application/json"));
        app.MapPost("/mutate", () => Results.Text("""{"data":{"code":"Success","message":"Done","queries":null,"uids":{"user1":"0x2"}}}""", "application/json"));
        app.MapPost("/alter", () => Results.Text("""{"data":{"code":"Success","message":"Done"}}""", "application/json"));
    }

    private async Task<JsonElement> Result(string path, string json = "{}", string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
        if (token is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        }

        var response = await Server.Client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return body.GetProperty("result");
    }

    [Fact]
    public async Task GraphQLClient_PostsToTheConnectionsEndpoint_AndParsesTheAnswer()
    {
        Assert.Equal("""[{"code":"AD","name":"Andorra","capital":"Andorra la Vella"},{"code":"AE","name":"United Arab Emirates","capital":"Abu Dhabi"}]""",
            (await Result("/functions/countries/countries")).GetRawText());
        Assert.Equal("""{"code":"FR","name":"France","capital":"Paris"}""", (await Result("/functions/countries/getCountryByCode", """{"code":"FR"}""")).GetRawText());
        var sent = JsonDocument.Parse(_upstream.Last("/graphql").Body).RootElement;
        Assert.Equal("""{"code":"FR"}""", sent.GetProperty("variables").GetRawText());
        var graphql = await Server.GraphQLAsync("""{ countryByCode(code: "FR") { capital } }""");
        Assert.Equal("Paris", graphql.GetProperty("data").GetProperty("countryByCode").GetProperty("capital").GetString());
    }

    [Fact]
    public async Task Models_ClassificationEmbeddingsAndChat_GoToTheirConnection_AndAreRecorded()
    {
        Assert.Equal("positive", (await Result("/functions/classification/classifyText", """{"text":"great","threshold":0.5}""")).GetString());
        Assert.Equal("""{"instances":["great"]}""", _upstream.Last("/v1/classify").Body);
        Assert.Equal("", (await Result("/functions/classification/classifyText", """{"text":"great","threshold":0.95}""")).GetString());
        var labels = await Result("/functions/classification/getClassificationLabels", """{"text":"great"}""");
        Assert.Equal(["positive", "negative"], labels.EnumerateArray().Select(p => p.GetProperty("key").GetString()));
        Assert.Equal("[[0.5,0.25],[1,2]]", (await Result("/functions/embedding/testEmbeddingsWithMiniLM", """{"texts":["a","b"]}""")).GetRawText());
        Assert.Equal("[[0.5,0.25]]", (await Result("/functions/embedding/testEmbeddingsWithOpenAI", """{"texts":["a"]}""")).GetRawText());
        Assert.Equal("Hello there.", (await Result("/functions/textgen/generateText", """{"instruction":"Be brief.","prompt":"Hi"}""")).GetString());
        var input = JsonDocument.Parse(_upstream.Last("/v1/chat/completions").Body).RootElement;
        Assert.Equal("gpt-4o-mini", input.GetProperty("model").GetString());
        Assert.Equal(0.7, input.GetProperty("temperature").GetDouble());
        Assert.Equal("""{"id":"1","name":"Boots","price":20.5,"description":"Warm."}""",
            (await Result("/functions/textgen/generateProduct", """{"category":"shoes"}""")).GetRawText());
        await Eventually.TrueAsync(() => _harness.Inferences.Records.Any(r => r.Plugin == "textgen" && r.PromptTokens == 7), "the chat inference in the history",
            TimeSpan.FromSeconds(10));
        var chat = _harness.Inferences.Records.First(r => r.Plugin == "textgen");
        Assert.Equal(("text-generator", "gpt-4o-mini", "generateText", "ok"), (chat.Model, chat.ModelId, chat.Function, chat.Status));
    }

    [Fact]
    public async Task Models_ConnectionHeadersCarrySecrets_ThatNeverReachTheHistory()
    {
        Assert.Equal("I cannot know that.", (await Result("/functions/anthropic/getStockPrice", """{"company":"Acme","useTools":false}""")).GetString());
        Assert.Equal("sk-ant-secret", _upstream.Last("/anthropic/v1/messages").Headers["x-api-key"]);
        var input = JsonDocument.Parse(_upstream.Last("/anthropic/v1/messages").Body).RootElement;
        Assert.Equal("claude-3-5-sonnet", input.GetProperty("model").GetString());
        await Eventually.TrueAsync(() => _harness.Inferences.Records.Any(r => r.Plugin == "anthropic"), "the inference", TimeSpan.FromSeconds(10));
        Assert.DoesNotContain(_harness.Inferences.Records, r => (r.Input + r.Output).Contains("sk-ant-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dgraph_QueriesAndMutations_OverItsHttpApi()
    {
        Assert.Equal("""[{"uid":"0x1","firstName":"Ada","lastName":"Lovelace","dType":["Person"]}]""", (await Result("/functions/dgraph/queryPeople")).GetRawText());
        await Result("/functions/dgraph/querySpecificPerson", """{"firstName":"Ada","lastName":"Lovelace"}""");
        var query = JsonDocument.Parse(_upstream.Last("/query").Body).RootElement;
        Assert.Equal("""{"$firstName":"Ada","$lastName":"Lovelace"}""", query.GetProperty("variables").GetRawText());
        Assert.Equal("""[{"key":"user1","value":"0x2"}]""", (await Result("/functions/dgraph/addPersonAsJSON", """{"firstName":"A","lastName":"B"}""")).GetRawText());
        var mutation = JsonDocument.Parse(_upstream.Last("/mutate").Body).RootElement;
        Assert.Equal("""{"uid":"_:user1","firstName":"A","lastName":"B","dgraph.type":["Person"]}""", mutation.GetProperty("mutations")[0].GetProperty("set").GetRawText());
        await Result("/functions/dgraph/addPersonAsRDF", """{"firstName":"A","lastName":"B"}""");
        Assert.StartsWith("upsert {", _upstream.Last("/mutate").Body, StringComparison.Ordinal);
        Assert.Equal("Done", (await Result("/functions/dgraph/dropAttr", """{"attr":"x"}""")).GetString());
        Assert.Equal("""{"drop_attr":"x"}""", _upstream.Last("/alter").Body);
    }

    [Fact]
    public async Task Auth_BearerTokenEndpoint_NeedsAVerifiedToken_AndPassesItsClaims()
    {
        var (refused, problem) = await Server.PostJsonAsync("/functions/auth/getJWTClaims", "{}");
        Assert.Equal(401, (int)refused.StatusCode);
        Assert.Equal("unauthorized", problem.GetProperty("cause").GetString());
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "user-1", ["user-id"] = "u-42", ["iss"] = "https://issuer", ["jti"] = "j1" },
            Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(SigningKey), SecurityAlgorithms.RsaSha256),
        });
        var claims = await Result("/functions/auth/getJWTClaims", "{}", token);
        Assert.Equal(("user-1", "u-42", "https://issuer"), (claims.GetProperty("sub").GetString(), claims.GetProperty("userId").GetString(), claims.GetProperty("iss").GetString()));
        var forged = token[..^4] + (token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/functions/auth/getJWTClaims") { Content = new StringContent("{}") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", forged);
        Assert.Equal(401, (int)(await Server.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public void Neo4jApp_IsRefusedAtLoad_NamingTheImport()
    {
        var status = Server.Services.GetRequiredService<PluginReloader>().Status.Single(s => s.SourcePath.EndsWith("neo4j.wasm", StringComparison.Ordinal));
        Assert.Equal(PluginSourceStatus.Refused, status.State);
        Assert.Contains("modus_neo4j_client.executeQuery", status.Error);
    }

    [Fact]
    public async Task PostgreSql_RealDatabase_QueriesAndExecutesThroughTheSdk()
    {
        var connection = new NpgsqlConnectionStringBuilder(await TestDatabases.PostgresAsync());
        await using (var db = new NpgsqlConnection(connection.ConnectionString))
        {
            await db.OpenAsync();
            await using var create = new NpgsqlCommand(
                "create table people (id serial primary key, name text not null, age int not null, home point); " +
                "insert into people (name, age, home) values ('Alice', 42, point(-122.4, 37.7)), ('Bob', 19, null)", db);
            await create.ExecuteNonQueryAsync();
        }

        var url = $"postgresql://{connection.Username}@{connection.Host}:{connection.Port}/{connection.Database}";
        ModusFixtures.Copy("postgresql-example", Server.PluginsPath, "pg", $$$$"""{"connections": {"my-database": {"type": "postgresql", "connString": "{{{{url}}}}"}}}""");
        ModusFixtures.Copy("prebuilt-postgresql-example", Server.PluginsPath, "pgold", $$$$"""{"connections": {"my-database": {"type": "postgresql", "connString": "{{{{url}}}}"}}}""");
        await Server.Services.GetRequiredService<PluginReloader>().ScanAsync();
        foreach (var plugin in new[] { "pg", "pgold" })
        {
            Assert.Equal("""[{"id":1,"name":"Alice","age":42,"home":null},{"id":2,"name":"Bob","age":19,"home":null}]""",
                (await Result($"/functions/{plugin}/getAllPeople")).GetRawText());
            Assert.Equal("Bob", (await Result($"/functions/{plugin}/getPerson", """{"id":2}""")).GetProperty("name").GetString());
            Assert.Equal(JsonValueKind.Null, (await Result($"/functions/{plugin}/getPerson", """{"id":99}""")).ValueKind);
            var added = await Result($"/functions/{plugin}/addPerson", """{"name":"Zed","age":30}""");
            Assert.Equal("Zed", added.GetProperty("name").GetString());
            Assert.Equal("success", (await Result($"/functions/{plugin}/deletePerson", "{\"id\":" + added.GetProperty("id").GetInt32() + "}")).GetString());
            Assert.Equal("failure", (await Result($"/functions/{plugin}/deletePerson", """{"id":99}""")).GetString());
        }
    }

    [Fact]
    public async Task MySql_RealMariaDb_ExecutesWithQuestionMarksAndReportsTheInsertId()
    {
        var url = await TestDatabases.MySqlAsync();
        var builder = Wafer.Runtime.Modus.Host.MySqlUrl.Parse(url);
        await using (var db = new MySqlConnector.MySqlConnection(builder.ConnectionString))
        {
            await db.OpenAsync();
            await using var create = new MySqlConnector.MySqlCommand(
                "create table people (id int auto_increment primary key, name text not null, age int not null, home point null); " +
                "insert into people (name, age) values ('Alice', 42), ('Bob', 19)", db);
            await create.ExecuteNonQueryAsync();
        }

        ModusFixtures.Copy("mysql-example", Server.PluginsPath, "mysql", $$$$"""{"connections": {"my-database": {"type": "mysql", "connString": "{{{{url}}}}"}}}""");
        await Server.Services.GetRequiredService<PluginReloader>().ScanAsync();
        Assert.Equal("""[{"id":1,"name":"Alice","age":42,"home":null},{"id":2,"name":"Bob","age":19,"home":null}]""",
            (await Result("/functions/mysql/getAllPeople")).GetRawText());
        Assert.Equal("""[{"id":1,"name":"Alice","age":42,"home":null}]""", (await Result("/functions/mysql/getPeopleByName", """{"name":"Alice"}""")).GetRawText());
        var added = await Result("/functions/mysql/addPerson", """{"name":"Zed","age":30}""");
        Assert.Equal(("Zed", 3), (added.GetProperty("name").GetString(), added.GetProperty("id").GetInt32()));
        Assert.Equal("success", (await Result("/functions/mysql/deletePerson", """{"id":3}""")).GetString());
        Assert.Equal("failure", (await Result("/functions/mysql/deletePerson", """{"id":99}""")).GetString());
    }
}
