using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Modus;

/// <summary>The Modus SDK's "simple" example, debug and release builds, over REST and GraphQL (fixtures README, simple-example).</summary>
public sealed class ModusSimpleTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await RuntimeServer.StartAsync([]);
        ModusFixtures.Copy("simple-example", _server.PluginsPath, "simple");
        ModusFixtures.Copy("simple-example.release", _server.PluginsPath, "simple-release");
        await _server.Services.GetRequiredService<Wafer.Runtime.Catalog.PluginReloader>().ScanAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("simple")]
    [InlineData("simple-release")]
    public async Task Add_OverRest_ReturnsSumAndWrapsAtI32(string plugin)
    {
        var (response, body) = await _server.PostJsonAsync($"/functions/{plugin}/add", """{"a":2,"b":3}""");
        Assert.True(response.IsSuccessStatusCode, body.ToString());
        Assert.Equal(5, body.GetProperty("result").GetInt32());
        (_, body) = await _server.PostJsonAsync($"/functions/{plugin}/add", """{"a":2147483647,"b":1}""");
        Assert.Equal(-2147483648, body.GetProperty("result").GetInt32());
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("simple-release")]
    public async Task Classes_OverRest_AreReadByMetadataLayout(string plugin)
    {
        var (_, body) = await _server.PostJsonAsync($"/functions/{plugin}/getFullName", """{"firstName":"Ada","lastName":"Lovelace"}""");
        Assert.Equal("Ada Lovelace", body.GetProperty("result").GetString());
        (_, body) = await _server.PostJsonAsync($"/functions/{plugin}/getPeople", "{}");
        Assert.Equal(
            """[{"firstName":"Bob","lastName":"Smith","fullName":"Bob Smith"},{"firstName":"Alice","lastName":"Jones","fullName":"Alice Jones"},{"firstName":"Charlie","lastName":"Brown","fullName":"Charlie Brown"}]""",
            body.GetProperty("result").GetRawText());
        (_, body) = await _server.PostJsonAsync($"/functions/{plugin}/getRandomPerson", "{}");
        Assert.Contains(body.GetProperty("result").GetProperty("fullName").GetString(), new[] { "Bob Smith", "Alice Jones", "Charlie Brown" });
    }

    [Theory]
    [InlineData("simple")]
    [InlineData("simple-release")]
    public async Task Throw_CaughtOrRethrown_IsAResultOrAnAbortWithLocation(string plugin)
    {
        var (_, body) = await _server.PostJsonAsync($"/functions/{plugin}/testCatching", """{"shouldThrow":true}""");
        Assert.Equal("Caught error: Error: Throw from Try Block", body.GetProperty("result").GetString());
        (_, body) = await _server.PostJsonAsync($"/functions/{plugin}/catchAndRethrow", """{"shouldRethrow":false}""");
        Assert.Equal("Caught error", body.GetProperty("result").GetString());
        var (response, problem) = await _server.PostJsonAsync($"/functions/{plugin}/catchAndRethrow", """{"shouldRethrow":true}""");
        Assert.Equal(500, (int)response.StatusCode);
        Assert.Equal("abort", problem.GetProperty("cause").GetString());
        Assert.Contains("Throw from Try Block at assembly/index.ts:90:5", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task GraphQL_NamesFollowModusRules()
    {
        await using var server = await RuntimeServer.StartAsync([]);
        ModusFixtures.Copy("simple-example", server.PluginsPath, "simple");
        await server.Services.GetRequiredService<Wafer.Runtime.Catalog.PluginReloader>().ScanAsync();
        var result = await server.GraphQLAsync("""{ fullName(firstName: "Ada", lastName: "Lovelace") people { fullName } }""");
        Assert.Equal("Ada Lovelace", result.GetProperty("data").GetProperty("fullName").GetString());
        Assert.Equal(3, result.GetProperty("data").GetProperty("people").GetArrayLength());
        var mutation = await server.GraphQLAsync("mutation { add(a: 2, b: 3) }");
        Assert.Equal(5, mutation.GetProperty("data").GetProperty("add").GetInt32());
    }
}
