using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wafer.Protocol.Manifest;
using Wafer.Runtime.Capabilities.Secrets;
using Wafer.Runtime.Tests.Capabilities.Support;

namespace Wafer.Runtime.Tests.Capabilities;

/// <summary>
/// The secret names Hypermode and Modus users set (<c>MODUS_C_S</c>, <c>HYPERMODE_C_S</c>, <c>HYP_MODEL_KEY_M</c>,
/// <c>OPENAI_API_KEY</c>) beside Wafer's own, their precedence, and <c>--secretsDir</c>.
/// </summary>
public sealed class CompatibilitySecretsTests : IAsyncLifetime
{
    private CapabilityHarness _harness = null!;
    private readonly string _secrets = Directory.CreateTempSubdirectory("wafer-secrets-").FullName;

    public async ValueTask InitializeAsync()
    {
        _harness = await CapabilityHarness.StartAsync(
            app => app.MapGet("/{**path}", (HttpContext c) => Results.Text("ok")),
            origin => $$$"""
                {
                  "name": "hostcall",
                  "connections": {
                    "weather": { "type": "http", "baseUrl": "{{{origin}}}/weather/", "headers": { "X-Key": "{{API_KEY}}" } },
                    "llm": { "type": "http", "baseUrl": "{{{origin}}}/llm/", "headers": { "Authorization": "Bearer {{API_KEY}}" } },
                    "files": { "type": "http", "baseUrl": "{{{origin}}}/files/", "headers": { "X-Key": "{{TOKEN}}" } }
                  },
                  "models": { "my-model": { "connection": "llm", "model": "gpt-x" } }
                }
                """,
            configure: (o, _) => o.SecretsDirectory = _secrets);
    }

    public async ValueTask DisposeAsync()
    {
        await _harness.DisposeAsync();
        Directory.Delete(_secrets, recursive: true);
    }

    private string DotEnv => Path.Combine(_harness.Runtime.PluginsPath, ".env");

    private async Task<string> SentAsync(string path, string header = "X-Key")
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = _harness.Upstream.Origin + path });
        Assert.True(reply.Succeeded, reply.Error);
        return _harness.Upstream.Last(path).Headers[header];
    }

    private void WriteDotEnv(string text)
    {
        File.WriteAllText(DotEnv, text);
        File.SetLastWriteTimeUtc(DotEnv, DateTime.UtcNow.AddSeconds(Random.Shared.Next(1, 1000))); // a new fingerprint even within one tick
    }

    [Fact]
    public async Task HypermodeAndModusNames_AreRead_WaferFirstThenModusThenHypermode()
    {
        WriteDotEnv("HYPERMODE_WEATHER_API_KEY=from-hypermode\n");
        Assert.Equal("from-hypermode", await SentAsync("/weather/1"));

        WriteDotEnv("HYPERMODE_WEATHER_API_KEY=from-hypermode\nMODUS_WEATHER_API_KEY=from-modus\n");
        Assert.Equal("from-modus", await SentAsync("/weather/2"));

        WriteDotEnv("HYPERMODE_WEATHER_API_KEY=from-hypermode\nMODUS_WEATHER_API_KEY=from-modus\nWAFER_WEATHER_API_KEY=from-wafer\n");
        Assert.Equal("from-wafer", await SentAsync("/weather/3"));
    }

    [Fact]
    public async Task ModelKey_FillsTheApiKeyOfTheModelsConnection_AfterTheConnectionsOwnNames()
    {
        WriteDotEnv("HYP_MODEL_KEY_MY_MODEL=model-key-1\n");
        Assert.Equal("Bearer model-key-1", await SentAsync("/llm/chat", "Authorization"));

        WriteDotEnv("HYP_MODEL_KEY_MY_MODEL=model-key-1\nWAFER_LLM_API_KEY=connection-key-2\n");
        Assert.Equal("Bearer connection-key-2", await SentAsync("/llm/chat2", "Authorization"));

        // A connection no model uses never gets a model's key.
        var reply = await _harness.CallAsync("http.fetch", new { url = _harness.Upstream.Origin + "/weather/x" });
        Assert.Equal("http.fetch: connection 'weather' needs secret API_KEY: set WAFER_WEATHER_API_KEY or add it to .env", reply.Failure);
    }

    [Fact]
    public async Task SecretsDir_FileNamedAfterTheVariable_IsRead_BeforeDotEnv_AndReReadWhenRotated()
    {
        WriteDotEnv("WAFER_FILES_TOKEN=from-dotenv\n");
        Assert.Equal("from-dotenv", await SentAsync("/files/1"));

        File.WriteAllText(Path.Combine(_secrets, "WAFER_FILES_TOKEN"), "from-file-1\n");
        Assert.Equal("from-file-1", await SentAsync("/files/2")); // one trailing line break is not part of the value

        File.WriteAllText(Path.Combine(_secrets, "WAFER_FILES_TOKEN"), "from-file-2");
        Assert.Equal("from-file-2", await SentAsync("/files/3"));
    }

    [Fact]
    public void Order_IsThePluginsPrefixesThenTheOthersThenModelKeysThenOpenAi()
    {
        var openAi = new HttpConnectionSpec { Name = "gpt", BaseUrl = "https://api.openai.com/v1/" };
        var manifest = PluginManifest.ForName("p") with
        {
            Connections = new ManifestMap<ConnectionSpec>(new Dictionary<string, ConnectionSpec> { ["gpt"] = openAi }),
            Models = new ManifestMap<ModelSpec>(new Dictionary<string, ModelSpec> { ["chat-1"] = new() { Name = "chat-1", Connection = "gpt", Model = "gpt-4o" } }),
        };
        Assert.Equal(
            ["WAFER_GPT_API_KEY", "MODUS_GPT_API_KEY", "HYPERMODE_GPT_API_KEY", "HYP_MODEL_KEY_CHAT_1", "OPENAI_API_KEY"],
            SecretVariables.For(manifest, openAi, "API_KEY"));

        var modusApp = manifest with { SecretPrefixes = new ValueList<string>(["MODUS_", "HYPERMODE_"]) };
        Assert.Equal(["MODUS_GPT_TOKEN", "HYPERMODE_GPT_TOKEN", "WAFER_GPT_TOKEN"], SecretVariables.For(modusApp, openAi, "TOKEN"));

        // OPENAI_API_KEY goes only to OpenAI itself, not to any connection that calls itself "openai".
        var lookalike = new HttpConnectionSpec { Name = "openai", BaseUrl = "https://collector.example.com/" };
        Assert.DoesNotContain("OPENAI_API_KEY", SecretVariables.For(PluginManifest.ForName("p"), lookalike, "API_KEY"));
    }
}
