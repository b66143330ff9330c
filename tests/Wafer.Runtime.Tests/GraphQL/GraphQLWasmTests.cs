using System.Net;
using GraphQL;

namespace Wafer.Runtime.Tests.GraphQL;

/// <summary>The GraphQL endpoint over real plugins: the wat test guests.</summary>
public sealed class GraphQLWasmTests : IAsyncLifetime
{
    private GraphQLHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await GraphQLHost.StartAsync();

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Query_CallsGuests_AndATrapFailsOnlyItsOwnField()
    {
        _host.Load("echo");
        _host.Load("unreachable");

        var (response, body) = await _host.QueryAsync("{ hello crash nothing }");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal("""{"hello":"hello","crash":null,"nothing":null}""", root.GetProperty("data").GetRawText());
        var error = Assert.Single(root.GetProperty("errors").EnumerateArray());
        Assert.StartsWith("unreachable/crash failed: trap", error.GetProperty("message").GetString());
        var extensions = error.GetProperty("extensions");
        Assert.Equal("trap", extensions.GetProperty("code").GetString());
        Assert.Equal("unreachable", extensions.GetProperty("plugin").GetString());
        Assert.Equal("crash", extensions.GetProperty("function").GetString());
        Assert.False(string.IsNullOrEmpty(extensions.GetProperty("callId").GetString()));
        Assert.False(extensions.TryGetProperty("codes", out _));
        Assert.Equal("[\"crash\"]", error.GetProperty("path").GetRawText());
    }

    [Fact]
    public async Task ResultOfTheWrongType_IsABadResultError()
    {
        _host.Load("echo");

        var (_, body) = await _host.QueryAsync("""{ echo(value: "x") }""");

        Assert.Contains("\"code\":\"bad_result\"", body);
        Assert.Contains("\"data\":{\"echo\":null}", body);
    }

    [Fact]
    public async Task Schema_FollowsTheCatalog()
    {
        var (_, before) = await _host.QueryAsync("{ hello }");
        Assert.Contains("Cannot query field 'hello'", before);
        var empty = _host.Provider.Current;
        Assert.Same(empty, _host.Provider.Current);

        _host.Load("echo");
        var (_, loaded) = await _host.QueryAsync("{ hello }");
        Assert.Equal("""{"data":{"hello":"hello"}}""", loaded);
        Assert.NotSame(empty, _host.Provider.Current);
        Assert.Equal(_host.Catalog.Current.Version, _host.Provider.Current.Version);

        _host.Catalog.Remove("echo");
        var (_, removed) = await _host.QueryAsync("{ hello }");
        Assert.Contains("Cannot query field 'hello'", removed);
    }

    [Fact]
    public async Task SameFunctionsFromTwoPlugins_ArePrefixedAndEachCallsItsOwnPlugin()
    {
        _host.Load("echo", "echo-a");
        _host.Load("echo", "echo-b");

        var (_, body) = await _host.QueryAsync("{ echo_a_hello echo_b_hello }");
        var sdl = await _host.Client.GetStringAsync("/graphql/schema");

        Assert.Equal("""{"data":{"echo_a_hello":"hello","echo_b_hello":"hello"}}""", body);
        Assert.Contains("# note: field 'hello' is exported by plugins echo-a, echo-b: exposed as 'echo_a_hello', 'echo_b_hello'", sdl);
    }

    [Fact]
    public async Task SchemaBuiltBeforeAReload_CallsTheNewVersion()
    {
        _host.Load("echo");
        var stale = _host.Provider.Current;
        _host.Load("echo"); // replaces and retires the version the stale schema was built over

        var result = await new DocumentExecuter().ExecuteAsync(new ExecutionOptions { Schema = stale.Schema, Query = "{ hello }" });

        Assert.Null(result.Errors);
        Assert.Equal("""{"data":{"hello":"hello"}}""", Wafer.GraphQL.GraphQLJson.Serializer.Serialize(result));
    }
}
