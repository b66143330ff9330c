using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wafer.Protocol.Manifest;
using Wafer.Runtime.Capabilities.Secrets;
using Wafer.Runtime.Tests.Capabilities.Support;

namespace Wafer.Runtime.Tests.Capabilities;

/// <summary>Where secrets come from (environment, <c>.env</c>), when they are read, and what happens when one is missing.</summary>
public sealed class SecretsTests : IAsyncLifetime
{
    private CapabilityHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await CapabilityHarness.StartAsync(
            app => app.MapGet("/{**path}", (HttpContext c) => Results.Text(c.Request.Headers["X-Key"].ToString())),
            origin => $$$"""
                {
                  "name": "hostcall",
                  "connections": {
                    "weather": { "type": "http", "baseUrl": "{{{origin}}}/weather/", "headers": { "X-Key": "{{API_KEY}}" } },
                    "my-env-conn": { "type": "http", "baseUrl": "{{{origin}}}/env/", "headers": { "X-Key": "{{ api_key }}" } }
                  }
                }
                """);
    }

    public async ValueTask DisposeAsync() => await _harness.DisposeAsync();

    private string DotEnv => Path.Combine(_harness.Runtime.PluginsPath, ".env");

    private async Task<string> SentKeyAsync(string path)
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = _harness.Upstream.Origin + path });
        Assert.True(reply.Succeeded, reply.Error);
        return _harness.Upstream.Last(path).Headers["X-Key"];
    }

    [Fact]
    public async Task MissingSecret_FailsNamingTheVariableToSet()
    {
        var reply = await _harness.CallAsync("http.fetch", new { url = _harness.Upstream.Origin + "/env/x" });
        Assert.Equal("http.fetch: connection 'my-env-conn' needs secret api_key: set WAFER_MY_ENV_CONN_API_KEY or add it to .env", reply.Failure);
        Assert.DoesNotContain(_harness.Upstream.Requests, r => r.Path == "/env/x");
    }

    [Fact]
    public async Task DotEnv_IsReadAtCallTimeAndReReadWhenItChanges()
    {
        var missing = await _harness.CallAsync("http.fetch", new { url = _harness.Upstream.Origin + "/weather/today" });
        Assert.Contains("needs secret API_KEY: set WAFER_WEATHER_API_KEY or add it to .env", missing.Failure);

        File.WriteAllText(DotEnv, "WAFER_WEATHER_API_KEY=first-value-123\n");
        Assert.Equal("first-value-123", await SentKeyAsync("/weather/today"));

        File.WriteAllText(DotEnv, "# rotated\nexport WAFER_WEATHER_API_KEY=\"second-value-456\" # comment\n");
        File.SetLastWriteTimeUtc(DotEnv, DateTime.UtcNow.AddSeconds(5));
        Assert.Equal("second-value-456", await SentKeyAsync("/weather/tomorrow"));
    }

    [Fact]
    public async Task EnvironmentVariable_WinsOverDotEnv()
    {
        const string variable = "WAFER_MY_ENV_CONN_API_KEY";
        File.AppendAllText(DotEnv, $"\n{variable}=from-dotenv-999\n");
        Environment.SetEnvironmentVariable(variable, "from-environment-777");
        try
        {
            Assert.Equal("from-environment-777", await SentKeyAsync("/env/a"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        File.SetLastWriteTimeUtc(DotEnv, DateTime.UtcNow.AddSeconds(10));
        Assert.Equal("from-dotenv-999", await SentKeyAsync("/env/b"));
    }

    [Theory]
    [InlineData("weather", "API_KEY", "WAFER_WEATHER_API_KEY")]
    [InlineData("my-conn", "api-key", "WAFER_MY_CONN_API_KEY")]
    [InlineData("db_1", "Password", "WAFER_DB_1_PASSWORD")]
    public void VariableName_UpperCasesAndTurnsDashesIntoUnderscores(string connection, string secret, string expected) =>
        Assert.Equal(expected, SecretTemplate.VariableName(connection, secret));

    [Fact]
    public void DotEnvFile_ParsesTheUsualForms()
    {
        var values = DotEnvFile.Parse("""
            # a comment
            PLAIN=value
            SPACED = spaced value  
            export EXPORTED=yes
            DOUBLE="line\nbreak \"quoted\""
            SINGLE='literal \n # not a comment'
            TRAILING=value # comment
            HASH=abc#def
            EMPTY=
            not a line
            =novalue
            UNCLOSED="oops
            DUP=first
            DUP=second
            """, out var malformed);
        Assert.Equal("value", values["PLAIN"]);
        Assert.Equal("spaced value", values["SPACED"]);
        Assert.Equal("yes", values["EXPORTED"]);
        Assert.Equal("line\nbreak \"quoted\"", values["DOUBLE"]);
        Assert.Equal("literal \\n # not a comment", values["SINGLE"]);
        Assert.Equal("value", values["TRAILING"]);
        Assert.Equal("abc#def", values["HASH"]);
        Assert.Equal("", values["EMPTY"]);
        Assert.Equal("second", values["DUP"]);
        Assert.Equal(3, malformed);
        Assert.False(values.ContainsKey("UNCLOSED"));
    }

    [Fact]
    public void Scrubber_ReplacesSecretsInTextAndJsonBytes()
    {
        string[] secrets = ["pa\"ss/wörd", "abc"];
        Assert.Equal("x [redacted] y abc", SecretScrubber.Scrub("x pa\"ss/wörd y abc", secrets));
        var json = JsonSerializer.SerializeToUtf8Bytes(new { v = "pa\"ss/wörd" });
        Assert.DoesNotContain("ss/w", System.Text.Encoding.UTF8.GetString(SecretScrubber.Scrub(json, secrets)));
    }
}
