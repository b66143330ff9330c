using System.Diagnostics;
using System.Net;
using Wafer.GraphQL;
using Wafer.Runtime.Hosting;

namespace Wafer.Runtime.Tests.GraphQL;

/// <summary>
/// What one request may cost (GraphQLOptions): each limit refuses a request over it before anything runs, with one
/// error whose code names it, status 400 as graphql-response+json. The costly requests here are the ones that got
/// through before: thousands of aliases, repeated directives, overlapping fields with different arguments.
/// </summary>
public sealed class GraphQLLimitsTests
{
    private const string GraphQLResponse = "application/graphql-response+json";

    [Fact]
    public async Task QueryLongerThanTheLimit_RefusedBeforeParsing()
    {
        await using var host = await StartAsync();
        var query = "{ hello " + new string(' ', 70_000) + "}";

        var (response, body) = await host.PostAsync(JsonSerializer.Serialize(new { query }), accept: GraphQLResponse);

        AssertRefused(response, body, "query_too_long", "at most 65536 are allowed");
    }

    [Fact]
    public async Task TwentyThousandAliases_RefusedWithoutCallingTheGuest()
    {
        await using var host = await StartAsync(o => o.MaxQueryLength = 1_000_000);
        var query = "{ " + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"a{i}: hello ")) + "}";

        var (response, body) = await host.PostAsync(JsonSerializer.Serialize(new { query }), accept: GraphQLResponse);

        AssertRefused(response, body, "too_many_root_fields", "selects more than 100 root fields");
        Assert.Equal(0, host.Counters.Completed);
    }

    [Fact]
    public async Task RootFieldsThroughFragments_CountedToo()
    {
        await using var host = await StartAsync(o => o.MaxRootFields = 3);

        var (response, body) = await host.QueryAsync("{ ...F ...F2 } fragment F on Query { a: hello b: hello } fragment F2 on Query { c: hello d: hello }", GraphQLResponse);

        AssertRefused(response, body, "too_many_root_fields", "selects more than 3 root fields");
        Assert.Equal(0, host.Counters.Completed);
    }

    [Fact]
    public async Task NestedDeeperThanTheLimit_Refused()
    {
        await using var host = await StartAsync(o => o.MaxDepth = 6);

        var (response, body) = await host.QueryAsync("{ __schema { types { fields { type { ofType { ofType { name } } } } } } }", GraphQLResponse);

        AssertRefused(response, body, "too_deep", "Field 'name' is nested 7 levels deep; at most 6 are allowed.");
    }

    [Fact]
    public async Task MoreFieldsThanTheLimit_Refused()
    {
        await using var host = await StartAsync(o => o.MaxFields = 50);
        var query = "{ __schema { types { " + string.Concat(Enumerable.Range(0, 60).Select(i => $"n{i}: name ")) + "} } }";

        var (response, body) = await host.QueryAsync(query, GraphQLResponse);

        AssertRefused(response, body, "too_many_fields", "more than 50 fields");
    }

    [Fact]
    public async Task TwentyThousandRepeatedDirectives_OneShortError()
    {
        await using var host = await StartAsync(o => o.MaxQueryLength = 1_000_000);
        var query = "{ hello " + string.Concat(Enumerable.Repeat("@skip(if: false) ", 20_000)) + "}";

        var (response, body) = await host.PostAsync(JsonSerializer.Serialize(new { query }), accept: GraphQLResponse);

        AssertRefused(response, body, "too_many_directives", "Field 'hello' has 20000 directives; at most 10");
        Assert.True(body.Length < 2_000, $"the answer is {body.Length} bytes"); // 3.8 MB of errors before the limit
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task AThousandOverlappingFieldsWithDifferentArguments_RefusedBeforeValidation()
    {
        // Every other limit out of the way: only the merge pairs stop it (26 s of validation and 143 MB before).
        await using var host = await StartAsync(o => (o.MaxFields, o.MaxRootFields, o.MaxErrors) = (100_000, 100_000, 100_000));
        var query = "{ " + string.Concat(Enumerable.Range(0, 1000).Select(i => $"greet(name: \"{i}\") ")) + "}";
        var clock = Stopwatch.StartNew();

        var (response, body) = await host.QueryAsync(query, GraphQLResponse);

        AssertRefused(response, body, "too_complex", "more than 5000 pairs of fields that share a response name");
        Assert.True(body.Length < 2_000, $"the answer is {body.Length} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(0, host.Counters.Completed);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task WorstOverlapWithinTheDefaults_ValidatedInBoundedTimeAndSize()
    {
        // 100 root fields (the most allowed) of one name with different arguments: 4950 conflicting pairs, just
        // within the merge budget. Validation reports them all; the response carries 100 errors.
        await using var host = await StartAsync();
        var query = "{ " + string.Concat(Enumerable.Range(0, 100).Select(i => $"greet(name: \"{i}\") ")) + "}";
        var clock = Stopwatch.StartNew();

        var (response, body) = await host.QueryAsync(query, GraphQLResponse);

        clock.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine($"validated in {clock.ElapsedMilliseconds} ms, answer {body.Length} bytes");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(100, JsonDocument.Parse(body).RootElement.GetProperty("errors").GetArrayLength());
        Assert.True(body.Length < 100_000, $"the answer is {body.Length} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(0, host.Counters.Completed);
    }

    [Fact]
    public async Task FieldsSharingANameWithinTheBudget_ValidatedAsUsual()
    {
        await using var host = await StartAsync();

        var (response, body) = await host.QueryAsync("""{ greet(name: "a") greet(name: "b") }""", GraphQLResponse);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Fields greet conflicts because they have differing arguments", body); // GraphQL.NET's own rule, not a limit
        Assert.DoesNotContain("too_complex", body);
    }

    [Fact]
    public async Task MoreErrorsThanTheLimit_CutToTheLimitWithACount()
    {
        await using var host = await StartAsync(o => (o.MaxRootFields, o.MaxErrors) = (1000, 20));
        var query = "{ " + string.Concat(Enumerable.Range(0, 150).Select(i => $"nope{i} ")) + "}";

        var (response, body) = await host.QueryAsync(query, GraphQLResponse);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        Assert.Equal(20, errors.GetArrayLength());
        Assert.Equal("Cannot query field 'nope0' on type 'Query'.", errors[0].GetProperty("message").GetString());
        Assert.Equal("too_many_errors", errors[19].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal("131 more errors are left out: a response carries at most 20.", errors[19].GetProperty("message").GetString());
    }

    [Fact]
    public async Task OverALimitAsJson_Is200WithTheError()
    {
        await using var host = await StartAsync(o => o.MaxDepth = 2);

        var (response, body) = await host.QueryAsync("{ __schema { types { name } } }", "application/json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"code\":\"too_deep\"", body);
    }

    [Fact]
    public void Options_OutOfRange_EachErrorNamesTheSetting()
    {
        var options = new RuntimeOptions { PluginsPath = Path.GetTempPath() };
        options.GraphQL.MaxDepth = 0;
        options.GraphQL.MaxParallelFields = 0;
        options.GraphQL.RequestTimeout = TimeSpan.FromMilliseconds(5);

        var errors = options.Validate();

        Assert.Contains("GraphQL.MaxDepth must be at least 2, got 0", errors);
        Assert.Contains("GraphQL.MaxParallelFields must be at least 1, got 0", errors);
        Assert.Contains(errors, e => e.StartsWith("GraphQL.RequestTimeout must be at least 100ms", StringComparison.Ordinal));
        Assert.Empty(new GraphQLOptions().Validate());
    }

    private static async Task<GraphQLHost> StartAsync(Action<GraphQLOptions>? configure = null)
    {
        var host = await GraphQLHost.StartAsync(maxRequestBytes: 4 * 1024 * 1024, graphql: configure);
        host.Load("hello");
        return host;
    }

    private static void AssertRefused(HttpResponseMessage response, string body, string code, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var root = JsonDocument.Parse(body).RootElement;
        Assert.False(root.TryGetProperty("data", out _), body.Length > 500 ? body[..500] : body);
        var error = Assert.Single(root.GetProperty("errors").EnumerateArray());
        Assert.Equal(code, error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.Contains(message, error.GetProperty("message").GetString());
    }
}
