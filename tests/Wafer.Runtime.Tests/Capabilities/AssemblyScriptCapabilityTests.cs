using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wafer.Runtime.Tests.Capabilities.Support;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Capabilities;

/// <summary>
/// The AssemblyScript SDK's capability APIs end to end: the <c>capabilities</c> test guest
/// (tests/guests/assemblyscript/capabilities) against the real host, a local HTTP server for <c>http.fetch</c>
/// and GraphQL, a local OpenAI-compatible stand-in for models and the real PostgreSQL (<c>WAFER_TEST_POSTGRES</c>).
/// </summary>
public sealed class AssemblyScriptCapabilityTests : IAsyncLifetime
{
    private const string ApiKey = "api-key-as-7f20c1";
    private CapabilityHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        var connString = await TestDatabases.PostgresAsync();
        _harness = await CapabilityHarness.StartAsync(Map, _ => """{ "name": "hostcall" }""", dotEnv: $"WAFER_API_API_KEY={ApiKey}\n");
        var origin = _harness.Upstream.Origin;
        await _harness.DeployAsync($$$"""
            {
              "name": "capabilities",
              "limits": { "timeoutMs": 10000 },
              "connections": {
                "api": { "type": "http", "baseUrl": "{{{origin}}}/api/", "headers": { "X-Api-Key": "{{API_KEY}}" } },
                "llm": { "type": "http", "baseUrl": "{{{origin}}}/v1" },
                "db": { "type": "postgresql", "connString": "{{{connString}}}" },
                "graph": { "type": "graphql", "endpoint": "{{{origin}}}/graphql" }
              },
              "models": {
                "chat": { "connection": "llm", "model": "test-chat", "kind": "chat" },
                "embedder": { "connection": "llm", "model": "test-embed", "kind": "embeddings" }
              },
              "config": { "greeting": "Hello", "units": "metric" }
            }
            """, name: "capabilities", guest: "capabilities");
    }

    public async ValueTask DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private static void Map(WebApplication app)
    {
        app.MapGet("/api/hello", (HttpContext c) =>
        {
            c.Response.Headers["X-Echo"] = c.Request.Headers["X-Api-Key"].ToString() == ApiKey ? "key-ok" : "key-missing";
            return Results.Text("héllo 😀", "text/plain; charset=utf-8");
        });
        app.MapPost("/api/echo", async (HttpContext c) =>
        {
            using var reader = new StreamReader(c.Request.Body);
            var body = await reader.ReadToEndAsync();
            c.Response.Headers["X-Echo"] = c.Request.Headers["X-Echo"].ToString();
            return Results.Text($"{c.Request.Method} {c.Request.ContentType} {body}", "text/plain", statusCode: 201);
        });
        app.MapPut("/api/bytes", async (HttpContext c) =>
        {
            using var buffer = new MemoryStream();
            await c.Request.Body.CopyToAsync(buffer);
            var bytes = buffer.ToArray();
            Array.Reverse(bytes);
            return Results.Bytes(bytes, "application/octet-stream");
        });
        app.MapGet("/api/json", () => Results.Json(new { city = "Lisbon", temp = 21.5, tags = new[] { "a", "b" } }));
        app.MapPost("/v1/chat/completions", async (HttpContext c) =>
        {
            using var body = await JsonDocument.ParseAsync(c.Request.Body);
            var messages = body.RootElement.GetProperty("messages");
            var last = messages[messages.GetArrayLength() - 1].GetProperty("content").GetString();
            return Results.Json(new
            {
                id = "chatcmpl-1",
                @object = "chat.completion",
                model = body.RootElement.GetProperty("model").GetString(),
                choices = new[] { new { index = 0, message = new { role = "assistant", content = $"echo({messages.GetArrayLength()}): {last}" }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 12, completion_tokens = 3, total_tokens = 15 },
            });
        });
        app.MapPost("/v1/embeddings", async (HttpContext c) =>
        {
            using var body = await JsonDocument.ParseAsync(c.Request.Body);
            var inputs = body.RootElement.GetProperty("input").EnumerateArray().Select(e => e.GetString()!).ToArray();
            return Results.Json(new
            {
                @object = "list",
                data = inputs.Select((s, i) => new { @object = "embedding", index = i, embedding = new[] { s.Length, i + 0.5 } }).Reverse(),
                usage = new { prompt_tokens = 4, total_tokens = 4 },
            });
        });
        app.MapPost("/graphql", async (HttpContext c) =>
        {
            using var body = await JsonDocument.ParseAsync(c.Request.Body);
            var root = body.RootElement;
            return Results.Json(new
            {
                data = new { query = root.GetProperty("query").GetString(), id = root.TryGetProperty("variables", out var v) ? v.GetProperty("id").GetString() : null },
                errors = new[] { new { message = "partial failure" } },
            });
        });
    }

    private async Task<JsonElement> CallAsync(string function, object args)
    {
        var (response, body) = await _harness.Runtime.PostJsonAsync($"/functions/capabilities/{function}", JsonSerializer.Serialize(args));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{function} failed: {response.StatusCode} {body}");
        return body.GetProperty("result");
    }

    private async Task<(string? Cause, string Detail)> FailAsync(string function, object args)
    {
        var (response, body) = await _harness.Runtime.PostJsonAsync($"/functions/capabilities/{function}", JsonSerializer.Serialize(args));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        var cause = body.TryGetProperty("cause", out var c) ? c.GetString() : null;
        var detail = body.TryGetProperty("detail", out var d) ? d.GetString()! : body.GetRawText();
        return (cause, detail);
    }

    [Fact]
    public async Task Fetch_Get_AddsTheSecretHeaderHostSide_AndDecodesStatusHeadersAndBody()
    {
        var r = await CallAsync("fetchGet", new { url = _harness.Upstream.Origin + "/api/hello" });
        Assert.Equal(200, r.GetProperty("status").GetInt32());
        Assert.Equal("OK", r.GetProperty("statusText").GetString());
        Assert.True(r.GetProperty("ok").GetBoolean());
        Assert.Equal("text/plain; charset=utf-8", r.GetProperty("contentType").GetString());
        Assert.Equal("key-ok", r.GetProperty("echoed").GetString());
        Assert.Equal("héllo 😀", r.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Fetch_Send_PassesMethodHeadersAndTextBody()
    {
        var r = await CallAsync("fetchSend", new { url = _harness.Upstream.Origin + "/api/echo", method = "POST", body = "payload é \"q\"" });
        Assert.Equal(201, r.GetProperty("status").GetInt32());
        Assert.Equal("POST text/plain payload é \"q\"", r.GetProperty("body").GetString());
        Assert.Equal("v 1", _harness.Upstream.Last("/api/echo").Headers["X-Echo"]);
    }

    [Fact]
    public async Task Fetch_Bytes_RoundTripEveryByteValue()
    {
        var data = Enumerable.Range(0, 256).ToArray();
        var r = await CallAsync("fetchBytes", new { url = _harness.Upstream.Origin + "/api/bytes", data });
        Assert.Equal(data.Reverse(), r.EnumerateArray().Select(e => e.GetInt32()));
    }

    [Fact]
    public async Task Fetch_Json_ParsesTheBody()
    {
        var r = await CallAsync("fetchJsonMember", new { url = _harness.Upstream.Origin + "/api/json", key = "tags" });
        Assert.Equal("""["a","b"]""", r.GetString());
    }

    [Fact]
    public async Task Fetch_DeniedUrl_AbortsTheCallWithTheHostMessage()
    {
        var (cause, detail) = await FailAsync("fetchGet", new { url = "http://127.0.0.2:9/x" });
        Assert.Equal("abort", cause);
        Assert.Contains("http.fetch: ", detail);
        Assert.Contains("not under any declared connection", detail);
    }

    [Fact]
    public async Task Models_Chat_ReturnsTextAndUsage_AndIsRecorded()
    {
        var r = await CallAsync("chat", new { model = "chat", system = "Be brief.", question = "Hi there" });
        Assert.Equal("echo(2): Hi there", r.GetProperty("text").GetString());
        Assert.Equal("stop", r.GetProperty("finishReason").GetString());
        Assert.Equal(12, r.GetProperty("promptTokens").GetInt64());
        Assert.Equal(3, r.GetProperty("completionTokens").GetInt64());
        Assert.Equal(15, r.GetProperty("totalTokens").GetInt64());
        using var sent = JsonDocument.Parse(_harness.Upstream.Last("/v1/chat/completions").Body);
        Assert.Equal("test-chat", sent.RootElement.GetProperty("model").GetString());
        Assert.Equal("system", sent.RootElement.GetProperty("messages")[0].GetProperty("role").GetString());
        await Eventually.TrueAsync(() => _harness.Inferences.Records.Any(i => i.Model == "chat"), "the inference record", TimeSpan.FromSeconds(10));

        var withOptions = await CallAsync("chatWithOptions", new { model = "chat", question = "q" });
        Assert.Equal("echo(1): q", withOptions.GetString());
        using var options = JsonDocument.Parse(_harness.Upstream.Last("/v1/chat/completions").Body);
        Assert.Equal(50, options.RootElement.GetProperty("max_tokens").GetInt32());
        Assert.Equal(0.5, options.RootElement.GetProperty("top_p").GetDouble());
    }

    [Fact]
    public async Task Models_Embed_ReturnsVectorsInInputOrder_AndUnknownModelAborts()
    {
        var r = await CallAsync("embed", new { model = "embedder", inputs = new[] { "one", "three" } });
        Assert.Equal([[3, 0.5], [5, 1.5]], r.EnumerateArray().Select(v => v.EnumerateArray().Select(e => e.GetDouble()).ToArray()).ToArray());
        var (cause, detail) = await FailAsync("ask", new { model = "nope", question = "q" });
        Assert.Equal("abort", cause);
        Assert.Contains("models.invoke: ", detail);
        Assert.Contains("nope", detail);
    }

    [Fact]
    public async Task Sql_ExecuteAndQuery_RowApiTypedMappingAndInertInjection()
    {
        Assert.Equal(2, (await CallAsync("sqlSetup", new { connection = "db" })).GetInt64());
        Assert.Equal(1, (await CallAsync("sqlInsert", new { connection = "db", name = "x'); drop table people; --", age = 7 })).GetInt64());

        var people = await CallAsync("sqlPeople", new { connection = "db", pattern = "%a%" });
        var ada = people[0];
        Assert.Equal("Ada", ada.GetProperty("name").GetString());
        Assert.Equal(36, ada.GetProperty("age").GetInt32());
        Assert.Equal(99.5, ada.GetProperty("score").GetDouble());
        Assert.True(ada.GetProperty("active").GetBoolean());
        Assert.Equal("""["math","engines"]""", ada.GetProperty("tags").GetRawText());
        Assert.Equal("en", ada.GetProperty("lang").GetString());
        Assert.StartsWith("1815-12-10", ada.GetProperty("born").GetString());
        var grace = people[1];
        Assert.False(grace.GetProperty("hasAge").GetBoolean());
        Assert.Equal(JsonValueKind.Null, grace.GetProperty("lang").ValueKind);
        Assert.Equal(JsonValueKind.Null, grace.GetProperty("born").ValueKind);

        var typed = await CallAsync("sqlPeopleTyped", new { connection = "db", minAge = 1 });
        Assert.Equal(["Ada", "x'); drop table people; --"], typed.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Equal(7, typed[1].GetProperty("age").GetInt32());

        Assert.Equal(0, (await CallAsync("sqlCount", new { connection = "db", name = "' or 1=1 --" })).GetInt64());
        Assert.Equal(1, (await CallAsync("sqlCount", new { connection = "db", name = "x'); drop table people; --" })).GetInt64());
        Assert.Equal(3, (await CallAsync("sqlExecute", new { connection = "db", statement = "update people set active = false" })).GetInt64());

        var (cause, detail) = await FailAsync("sqlNullRead", new { connection = "db" });
        Assert.Equal("abort", cause);
        Assert.Contains("sql: column 'nothing' is NULL", detail);
        (cause, detail) = await FailAsync("sqlExecute", new { connection = "db", statement = "select nope from people" });
        Assert.Equal("abort", cause);
        Assert.Contains("sql.execute: 42703", detail);
    }

    [Fact]
    public async Task GraphQL_ExecuteReturnsTheResponse_AndQueryExposesDataAndErrors()
    {
        var raw = await CallAsync("gqlRaw", new { connection = "graph", query = "query($id: ID!) { p(id: $id) }", variablesJson = """{"id":"0x1"}""" });
        using (var doc = JsonDocument.Parse(raw.GetString()!))
        {
            Assert.Equal("0x1", doc.RootElement.GetProperty("data").GetProperty("id").GetString());
        }

        var r = await CallAsync("gql", new { connection = "graph", query = "{ a }", variablesJson = (string?)null, operationName = (string?)null });
        Assert.Equal("""{"query":"{ a }","id":null}""", r.GetProperty("data").GetString());
        Assert.Equal("partial failure", r.GetProperty("errors")[0].GetString());
        Assert.False(r.GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task Config_Get_ReturnsManifestValuesOrNull()
    {
        Assert.Equal("Hello", (await CallAsync("configGet", new { key = "greeting" })).GetString());
        Assert.Equal(JsonValueKind.Null, (await CallAsync("configGet", new { key = "missing" })).ValueKind);
        Assert.Equal("fallback", (await CallAsync("configOr", new { key = "missing", fallback = "fallback" })).GetString());
    }
}
