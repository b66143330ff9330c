using Wafer.Protocol.Manifest;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Http;

/// <summary>
/// Introspection (<c>GET /api/plugins</c>, <c>/api/plugins/NAME</c>) shows connection headers only when they are
/// placeholders: a credential written literally into a manifest is masked, never echoed to anyone who asks.
/// </summary>
public sealed class ManifestRedactionTests : IAsyncLifetime
{
    private const string LiteralKey = "sk-live-literal-7c1e9b";
    private const string LiteralGraphQLToken = "dgraph-literal-52aa0f";
    private RuntimeServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await RuntimeServer.StartAsync([]);
        RuntimeServer.CopyGuest("hello", _server.PluginsPath, "keys");
        File.WriteAllText(Path.Combine(_server.PluginsPath, "keys" + PluginFolder.ManifestSuffix), $$$"""
            {
              "name": "keys",
              "connections": {
                "api": {
                  "type": "http", "baseUrl": "https://api.example.com/v1",
                  "headers": {
                    "X-Api-Key": "{{{LiteralKey}}}",
                    "Authorization": "Bearer {{TOKEN}}",
                    "X-Placeholder": "{{ KEY }}",
                    "X-Mixed": "key-{{TOKEN}}",
                    "X-Two": "{{A}} {{B}}",
                    "Accept": "application/json"
                  }
                },
                "graph": { "type": "graphql", "endpoint": "https://graph.example.com/graphql", "headers": { "X-Auth-Token": "{{{LiteralGraphQLToken}}}" } }
              }
            }
            """);
        await _server.Services.GetRequiredService<PluginReloader>().ScanAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("/api/plugins")]
    [InlineData("/api/plugins/keys")]
    public async Task LiteralHeaderValues_AreMasked_PlaceholdersShownAsWritten(string path)
    {
        var text = await _server.Client.GetStringAsync(path);
        var root = JsonDocument.Parse(text).RootElement;
        var plugin = root.TryGetProperty("plugins", out var plugins) ? plugins.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "keys") : root;
        var connections = plugin.GetProperty("capabilities").GetProperty("connections");
        var headers = connections.GetProperty("api").GetProperty("headers");

        Assert.DoesNotContain(LiteralKey, text);
        Assert.DoesNotContain(LiteralGraphQLToken, text);
        Assert.Equal("***", headers.GetProperty("X-Api-Key").GetString());
        Assert.Equal("Bearer {{TOKEN}}", headers.GetProperty("Authorization").GetString());
        Assert.Equal("{{ KEY }}", headers.GetProperty("X-Placeholder").GetString());
        Assert.Equal("{{A}} {{B}}", headers.GetProperty("X-Two").GetString());
        Assert.Equal("***", headers.GetProperty("X-Mixed").GetString());
        Assert.Equal("***", headers.GetProperty("Accept").GetString());
        Assert.Equal("***", connections.GetProperty("graph").GetProperty("headers").GetProperty("X-Auth-Token").GetString());
    }

    [Theory]
    [InlineData("{{TOKEN}}", true)]
    [InlineData("  {{ TOKEN }}  ", true)]
    [InlineData("Bearer {{TOKEN}}", true)]
    [InlineData("Basic {{USER}}{{PASSWORD}}", true)]
    [InlineData("token {{A}} {{B}}", true)]
    [InlineData("Bearer abc123", false)]
    [InlineData("abc123", false)]
    [InlineData("{{USER}}:{{PASSWORD}}", false)]
    [InlineData("Bearer sk-1 {{TOKEN}}", false)]
    [InlineData("{{TOKEN}} trailing", false)]
    [InlineData("{{TOKEN}", false)]
    [InlineData("", false)]
    public void OnlyPlaceholders_AllowsAtMostASchemeWord(string value, bool expected) =>
        Assert.Equal(expected, SecretTemplate.IsOnlyPlaceholders(value));
}
