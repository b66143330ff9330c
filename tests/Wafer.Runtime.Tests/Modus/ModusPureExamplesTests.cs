using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Modus;

/// <summary>The Modus examples that need no connection: the default template, vectors, time, secrets and auth (fixtures README).</summary>
public sealed class ModusPureExamplesTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await RuntimeServer.StartAsync([]);
        foreach (var (fixture, plugin) in new[] { ("my-modus-app", "template"), ("vectors-example", "vectors"), ("time-example", "time"), ("secrets-example", "secrets"), ("auth-example", "auth") })
        {
            ModusFixtures.Copy(fixture, _server.PluginsPath, plugin);
        }

        File.WriteAllText(Path.Combine(_server.PluginsPath, ".env"), "MODUS_APP_MY_SECRET=s3cr3t\n");
        await _server.Services.GetRequiredService<Wafer.Runtime.Catalog.PluginReloader>().ScanAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task<JsonElement> Result(string path, string json = "{}")
    {
        var (response, body) = await _server.PostJsonAsync(path, json);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return body.GetProperty("result");
    }

    [Fact]
    public async Task Template_OptionalParameter_UsesItsDefaultAndKeepsAnEmptyString()
    {
        Assert.Equal("Hello, World!", (await Result("/functions/template/sayHello")).GetString());
        Assert.Equal("Hello, Ada!", (await Result("/functions/template/sayHello", """{"name":"Ada"}""")).GetString());
        Assert.Equal("Hello, World!", (await Result("/functions/template/sayHello", """{"name":null}""")).GetString());
        Assert.Equal("Hello, !", (await Result("/functions/template/sayHello", """{"name":""}""")).GetString());
        var graphql = await _server.GraphQLAsync("{ sayHello }");
        Assert.Equal("Hello, World!", graphql.GetProperty("data").GetProperty("sayHello").GetString());

        // Introspection shows the argument's default as Modus did (`sayHello(name: String = null)`): clients may leave it out.
        var introspection = await _server.GraphQLAsync("""{ __type(name: "Query") { fields { name args { name defaultValue } } } }""");
        var sayHello = introspection.GetProperty("data").GetProperty("__type").GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "sayHello");
        Assert.Equal("""[{"name":"name","defaultValue":"null"}]""", sayHello.GetProperty("args").GetRawText());
        var vectors = introspection.GetProperty("data").GetProperty("__type").GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "sum");
        Assert.Equal(JsonValueKind.Null, vectors.GetProperty("args")[0].GetProperty("defaultValue").ValueKind); // no default: none shown
    }

    [Fact]
    public async Task Vectors_F64Arrays_ComputeAndMismatchAborts()
    {
        Assert.Equal("[5,7,9]", (await Result("/functions/vectors/add", """{"a":[1,2,3],"b":[4,5,6]}""")).GetRawText());
        Assert.Equal("[-3,-3,-3]", (await Result("/functions/vectors/subtract", """{"a":[1,2,3],"b":[4,5,6]}""")).GetRawText());
        Assert.Equal(32, (await Result("/functions/vectors/dot", """{"a":[1,2,3],"b":[4,5,6]}""")).GetDouble());
        Assert.Equal("[0.6,0.8]", (await Result("/functions/vectors/normalize", """{"a":[3,4]}""")).GetRawText());
        Assert.Equal(2.5, (await Result("/functions/vectors/mean", """{"a":[1,2,3,4]}""")).GetDouble());
        Assert.Equal("[3,4]", (await Result("/functions/vectors/addInPlace", """{"a":[1,1],"b":[2,3]}""")).GetRawText());
        var (response, problem) = await _server.PostJsonAsync("/functions/vectors/add", """{"a":[1],"b":[1,2]}""");
        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal("abort", problem.GetProperty("cause").GetString());
        Assert.Contains("Vectors must be the same length. at ~lib/@hypermode/modus-sdk-as/assembly/vectors.ts:8:5", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Time_ZonesComeFromTheRequestAndTheHost()
    {
        Assert.Equal("Europe/Paris", (await PostWithZone("/functions/time/getLocalTimeZone", "Europe/Paris")).GetString());
        var paris = (await Result("/functions/time/getTimeInZone", """{"tz":"Europe/Paris"}""")).GetString()!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+0[12]:00$", paris);
        var utc = DateTimeOffset.Parse((await Result("/functions/time/getUtcTime")).GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Math.Abs((utc - DateTimeOffset.UtcNow).TotalMinutes) < 5, $"getUtcTime gave {utc:o}");
        var (response, problem) = await _server.PostJsonAsync("/functions/time/getTimeInZone", """{"tz":"Not/AZone"}""");
        Assert.Equal(500, (int)response.StatusCode);
        Assert.Contains("Failed to get the local time.", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Secrets_AppSecretFromDotEnv_AndAMissingOneAborts()
    {
        Assert.Equal("s3cr3t", (await Result("/functions/secrets/getSecretValue", """{"name":"MY_SECRET"}""")).GetString());
        var (response, problem) = await _server.PostJsonAsync("/functions/secrets/getSecretValue", """{"name":"NOPE"}""");
        Assert.Equal(500, (int)response.StatusCode);
        Assert.Contains("Secret not found", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Auth_WithoutAToken_ClaimsAreEmptyAndTheNullFieldFailsTheCall()
    {
        var (response, problem) = await _server.PostJsonAsync("/functions/auth/getJWTClaims", "{}");
        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal("bad_result", problem.GetProperty("cause").GetString());
        Assert.Contains("unexpected null pointer for non-nullable type ~lib/string/String", problem.GetProperty("detail").GetString());
    }

    private async Task<JsonElement> PostWithZone(string path, string zone)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Time-Zone", zone);
        var response = await _server.Client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        return body.GetProperty("result").Clone();
    }
}
