using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wafer.Runtime.Tests.Capabilities.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Capabilities;

/// <summary><c>models.invoke</c> against a local OpenAI-compatible stand-in, and the inference history it writes.</summary>
public sealed class ModelsTests : IAsyncLifetime
{
    private const string Key = "sk-test-models-91be2f";
    private CapabilityHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await CapabilityHarness.StartAsync(Map, origin => $$$"""
            {
              "name": "hostcall",
              "connections": {
                "openai": { "type": "http", "baseUrl": "{{{origin}}}/v1", "headers": { "Authorization": "Bearer {{API_KEY}}" } },
                "broken": { "type": "http", "baseUrl": "{{{origin}}}/broken/" },
                "keyless": { "type": "http", "baseUrl": "{{{origin}}}/v1/", "headers": { "Authorization": "Bearer {{API_KEY}}" } }
              },
              "models": {
                "chat": { "connection": "openai", "model": "gpt-test-mini", "kind": "chat" },
                "embedder": { "connection": "openai", "model": "embed-test", "kind": "embeddings" },
                "failing": { "connection": "broken", "model": "m-500" },
                "locked": { "connection": "keyless", "model": "m-locked" }
              }
            }
            """, dotEnv: $"WAFER_OPENAI_API_KEY={Key}\n");
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    private static void Map(WebApplication app)
    {
        app.MapPost("/v1/chat/completions", async (HttpContext c) =>
        {
            if (c.Request.Headers.Authorization != $"Bearer {Key}")
            {
                return Results.Json(new { error = new { message = "invalid api key" } }, statusCode: 401);
            }

            using var body = await JsonDocument.ParseAsync(c.Request.Body);
            var model = body.RootElement.GetProperty("model").GetString();
            var question = body.RootElement.GetProperty("messages")[0].GetProperty("content").GetString();
            if (question == "leak")
            {
                question = c.Request.Headers.Authorization.ToString(); // a careless upstream echoing what it was sent
            }

            return Results.Json(new
            {
                id = "chatcmpl-1",
                @object = "chat.completion",
                model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = $"echo: {question}" }, finish_reason = "stop" } },
                usage = new { prompt_tokens = 12, completion_tokens = 3, total_tokens = 15 },
            });
        });
        app.MapPost("/v1/embeddings", async (HttpContext c) =>
        {
            using var body = await JsonDocument.ParseAsync(c.Request.Body);
            return Results.Json(new
            {
                @object = "list",
                model = body.RootElement.GetProperty("model").GetString(),
                data = new[] { new { @object = "embedding", index = 0, embedding = new[] { 0.25, -0.5, 1.0 } } },
                usage = new { prompt_tokens = 4, total_tokens = 4 },
            });
        });
        app.MapPost("/broken/chat/completions", () => Results.Text("upstream exploded", statusCode: 500));
    }

    private async Task<IReadOnlyList<Wafer.Runtime.Storage.InferenceRecord>> RecordsForAsync(string model, int count)
    {
        await Eventually.TrueAsync(() => _harness.Inferences.Records.Count(r => r.Model == model) >= count,
            $"{count} inference records for {model}", TimeSpan.FromSeconds(10));
        return _harness.Inferences.Records.Where(r => r.Model == model).ToArray();
    }

    [Fact]
    public async Task Invoke_Chat_PostsToChatCompletionsWithTheManifestModelAndKey()
    {
        var reply = await _harness.CallAsync("models.invoke", new
        {
            model = "chat",
            input = new { model = "guest-tries-another-model", messages = new[] { new { role = "user", content = "ping" } }, temperature = 0 },
        });

        var response = reply.Ok;
        Assert.Equal("echo: ping", response.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        var sent = _harness.Upstream.Last("/v1/chat/completions");
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal("gpt-test-mini", body.RootElement.GetProperty("model").GetString());
        Assert.Equal(0, body.RootElement.GetProperty("temperature").GetInt32());
        Assert.Equal($"Bearer {Key}", sent.Headers["Authorization"]);
    }

    [Fact]
    public async Task Invoke_Chat_RecordsTheInferenceWithTokenCounts()
    {
        var reply = await _harness.CallAsync("models.invoke", new { model = "chat", input = new { messages = new[] { new { role = "user", content = "record me" } } } });
        Assert.True(reply.Succeeded, reply.Error);

        var record = (await RecordsForAsync("chat", 1)).Single(r => r.Input.Contains("record me", StringComparison.Ordinal));
        Assert.Equal("hostcall", record.Plugin);
        Assert.Equal("call", record.Function);
        Assert.Matches("^[0-9a-f]{6}-[0-9a-f]+$", record.CallId);
        Assert.Equal("gpt-test-mini", record.ModelId);
        Assert.Equal("ok", record.Status);
        Assert.Null(record.Error);
        Assert.Equal(12, record.PromptTokens);
        Assert.Equal(3, record.CompletionTokens);
        Assert.Contains("echo: record me", record.Output);
        Assert.True(record.DurationMs > 0);
        Assert.True(record.Time > DateTimeOffset.UtcNow.AddMinutes(-1));
    }

    [Fact]
    public async Task Invoke_Embeddings_PostsToEmbeddings()
    {
        var reply = await _harness.CallAsync("models.invoke", new { model = "embedder", input = new { input = "vector me" } });
        Assert.Equal(-0.5, reply.Ok.GetProperty("data")[0].GetProperty("embedding")[1].GetDouble());
        var record = (await RecordsForAsync("embedder", 1)).Last();
        Assert.Equal(4, record.PromptTokens);
        Assert.Null(record.CompletionTokens);
    }

    [Fact]
    public async Task Invoke_EndpointFails_FailsAndStillRecordsTheCall()
    {
        var reply = await _harness.CallAsync("models.invoke", new { model = "failing", input = new { messages = Array.Empty<object>() } });
        Assert.StartsWith("models.invoke: model 'failing' (m-500) answered 500 Internal Server Error: upstream exploded", reply.Failure);

        var record = (await RecordsForAsync("failing", 1)).Last();
        Assert.Equal("error", record.Status);
        Assert.Contains("answered 500", record.Error);
        Assert.Equal("upstream exploded", record.Output);
    }

    [Fact]
    public async Task Invoke_MissingSecret_FailsNamingTheVariableAndRecordsTheFailure()
    {
        var reply = await _harness.CallAsync("models.invoke", new { model = "locked", input = new { messages = Array.Empty<object>() } });
        Assert.Equal(
            "models.invoke: connection 'keyless' needs secret API_KEY: set WAFER_KEYLESS_API_KEY or add it to .env", reply.Failure);
        Assert.Equal("error", (await RecordsForAsync("locked", 1)).Last().Status);
        Assert.DoesNotContain(_harness.Upstream.Requests, r => r.Path.StartsWith("/v1/", StringComparison.Ordinal) && !r.Headers.ContainsKey("Authorization"));
    }

    [Theory]
    [InlineData("""{"model":"nope","input":{}}""", "models.invoke: no model named 'nope' (declared: chat, embedder, failing, locked)")]
    [InlineData("""{"model":"chat"}""", "\"input\" must be a JSON object")]
    [InlineData("""{"model":"chat","input":[1]}""", "\"input\" must be a JSON object")]
    [InlineData("""{"model":"chat","input":{"stream":true}}""", "streaming responses are not supported")]
    [InlineData("""{"input":{}}""", "models.invoke: \"model\" is missing")]
    public async Task Invoke_BadRequest_FailsSayingWhatIsWrong(string request, string expected)
    {
        var reply = await _harness.CallAsync("models.invoke", request);
        Assert.Contains(expected, reply.Failure);
    }

    [Fact]
    public async Task Invoke_KeyNeverAppearsInResponsesLogsOrHistory()
    {
        var ok = await _harness.CallAsync("models.invoke", new { model = "chat", input = new { messages = new[] { new { role = "user", content = "leak" } } } });
        var record = (await RecordsForAsync("chat", 1)).Single(r => r.Input.Contains("leak", StringComparison.Ordinal));
        var plugins = await _harness.Runtime.Client.GetStringAsync("/api/plugins");

        Assert.Equal("echo: Bearer [redacted]", ok.Ok.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.DoesNotContain(Key, ok.RawBody + plugins + _harness.Logs.All);
        Assert.DoesNotContain(Key, JsonSerializer.Serialize(record));
    }
}
