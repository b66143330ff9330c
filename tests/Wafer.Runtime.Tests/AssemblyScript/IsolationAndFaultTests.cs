using System.Diagnostics;
using System.Net;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.AssemblyScript;

/// <summary>Isolation between calls and every fault cause, with real AssemblyScript guests.</summary>
public sealed class IsolationAndFaultTests(AssemblyScriptServer fixture) : IClassFixture<AssemblyScriptServer>
{
    private RuntimeServer Server => fixture.Server;

    [Fact]
    public async Task Greet_AnswersOverRestAndGraphQL()
    {
        var (response, body) = await Server.PostJsonAsync("/functions/greet", """{"name":"world"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"result":"Hello, world!"}""", body.GetRawText());
        var graph = await Server.GraphQLAsync("""{ greet(name: "GraphQL") }""");
        Assert.Equal("Hello, GraphQL!", graph.GetProperty("data").GetProperty("greet").GetString());
    }

    [Fact]
    public async Task GlobalCounter_ReadsOneOnEveryCall_WithFreshInstances()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
            (await Server.PostJsonAsync("/functions/count", "")).Body.GetProperty("result").GetInt32()));
        Assert.All(results, r => Assert.Equal(1, r));
    }

    [Fact]
    public async Task GlobalCounter_Increments_WhenTheManifestOptsIntoReuse()
    {
        await using var server = await RuntimeServer.StartAsync(["hello"]);
        File.WriteAllText(Path.Combine(server.PluginsPath, "hello.wafer.json"), """{"name":"hello","reuseInstances":true}""");
        await server.Services.GetRequiredService<Wafer.Runtime.Catalog.PluginReloader>().ScanAsync();
        Assert.True(server.Catalog.Current.PluginsByName["hello"].Manifest.ReuseInstances);

        var results = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            results.Add((await server.PostJsonAsync("/functions/count", "")).Body.GetProperty("result").GetInt32());
        }

        Assert.Equal([1, 2, 3], results);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task EndlessLoop_TimesOutWithinBounds()
    {
        var watch = Stopwatch.StartNew();
        var (response, body) = await Server.PostJsonAsync("/functions/spin", "");
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("timeout", body.GetProperty("cause").GetString());
        Assert.Equal("faults/spin failed: timeout: timed out after 300 ms", body.GetProperty("detail").GetString());
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(20));
    }

    [Fact]
    [Trait("Timing", "Sensitive")] // the 300 ms call timeout: on a loaded machine the allocation may outlast it
    public async Task UnboundedAllocation_IsOutOfMemory()
    {
        var (response, body) = await Server.PostJsonAsync("/functions/hog", "");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("out_of_memory", body.GetProperty("cause").GetString());
    }

    [Fact]
    public async Task Throw_IsAbortWithMessageAndSourcePosition()
    {
        var (response, body) = await Server.PostJsonAsync("/functions/boom", "");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("abort", body.GetProperty("cause").GetString());
        Assert.Matches(@"^faults/boom failed: abort: boom at assembly/index\.ts:\d+:\d+$", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task DivideByZero_AndStackOverflow_AreTraps()
    {
        var (divide, divideBody) = await Server.PostJsonAsync("/functions/divide", """{"a":1,"b":0}""");
        Assert.Equal(HttpStatusCode.InternalServerError, divide.StatusCode);
        Assert.Equal("trap", divideBody.GetProperty("cause").GetString());
        Assert.Contains("divide by zero", divideBody.GetProperty("detail").GetString());

        var (recurse, recurseBody) = await Server.PostJsonAsync("/functions/recurse", """{"n":100000000}""");
        Assert.Equal(HttpStatusCode.InternalServerError, recurse.StatusCode);
        Assert.Equal("trap", recurseBody.GetProperty("cause").GetString());
        Assert.Contains("stack", recurseBody.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Faults_InGraphQL_FailOnlyTheirOwnField()
    {
        var result = await Server.GraphQLAsync("""{ boom greet(name: "still here") }""");
        Assert.Equal("Hello, still here!", result.GetProperty("data").GetProperty("greet").GetString());
        var error = result.GetProperty("errors").EnumerateArray().Single();
        Assert.Equal("abort", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal("faults", error.GetProperty("extensions").GetProperty("plugin").GetString());
        Assert.StartsWith("faults/boom failed: abort: boom at", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task ServerKeepsServing_WhileFaultsHappenConcurrently()
    {
        var faults = Enumerable.Range(0, 6).Select(i => Server.PostJsonAsync(i % 2 == 0 ? "/functions/spin" : "/functions/hog", "")).ToArray();
        var greetings = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => Server.PostJsonAsync("/functions/greet", $$"""{"name":"n{{i}}"}""")));
        Assert.All(greetings, g => Assert.Equal(HttpStatusCode.OK, g.Response.StatusCode));
        Assert.All(await Task.WhenAll(faults), f => Assert.NotEqual(HttpStatusCode.OK, f.Response.StatusCode));
    }

    [Fact]
    public async Task Naming_FollowsModusConventions()
    {
        var sdl = await Server.Client.GetStringAsync("/graphql/schema");
        Assert.Contains("person(id: Int!):", sdl);
        Assert.Contains("people:", sdl);
        var mutation = sdl[sdl.IndexOf("type Mutation {", StringComparison.Ordinal)..];
        mutation = mutation[..mutation.IndexOf('}', StringComparison.Ordinal)];
        Assert.Contains("addPerson(", mutation);
        Assert.Contains("updatePerson(id: Int!, name: String!)", mutation);
        Assert.Contains("deletePerson(id: Int!)", mutation);
        Assert.DoesNotContain("people", mutation);
        Assert.DoesNotContain("_hidden", sdl);
        Assert.DoesNotContain("__internal", sdl);
        Assert.DoesNotContain("getPerson", sdl);

        var result = await Server.GraphQLAsync("mutation { addPerson(name: \"Ann\") { name } }");
        Assert.False(result.TryGetProperty("errors", out var errors), errors.ToString());
        Assert.Equal("Ann", result.GetProperty("data").GetProperty("addPerson").GetProperty("name").GetString());
    }
}
