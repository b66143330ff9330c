using System.Diagnostics;
using System.Net;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.GraphQL;

/// <summary>
/// A query's function fields run at the same time, a mutation's one after another, and the request's deadline
/// bounds the whole: real guests that spin until their timeout stops them (tests/guests/wat/slow.wat).
/// </summary>
public sealed class GraphQLConcurrencyTests
{
    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task TenAliasesOfASpinningQuery_AllRunAtOnce()
    {
        await using var host = await GraphQLHost.StartAsync();
        host.Load("slow", timeoutMs: 2000);
        var query = "{ " + string.Concat(Enumerable.Range(0, 10).Select(i => $"s{i}: spin ")) + "}";
        var clock = Stopwatch.StartNew();

        var ((response, body), mostAtOnce) = await WatchCallsAsync(host, host.QueryAsync(query, "application/graphql-response+json"));

        clock.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.Equal(10, errors.Count);
        Assert.All(errors, e => Assert.Equal("timeout", e.GetProperty("extensions").GetProperty("code").GetString()));
        // One after another: one call at a time and 20 s. Side by side: all ten at once, about 2 s on an idle machine.
        Assert.Equal(10, mostAtOnce);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task MutationFields_RunOneAfterAnother()
    {
        await using var host = await GraphQLHost.StartAsync();
        host.Load("slow", timeoutMs: 300);

        var ((response, body), mostAtOnce) = await WatchCallsAsync(host, host.QueryAsync("mutation { a: startSpin b: startSpin c: startSpin }", "application/graphql-response+json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, JsonDocument.Parse(body).RootElement.GetProperty("errors").GetArrayLength());
        Assert.Equal(3, host.Counters.Completed);
        Assert.Equal(1, mostAtOnce);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task FieldsPastTheDeadline_FailWithDeadlineExceededAndAreNotCalled()
    {
        await using var host = await GraphQLHost.StartAsync(graphql: o => (o.RequestTimeout, o.MaxParallelFields) = (TimeSpan.FromMilliseconds(300), 1));
        host.Load("slow", timeoutMs: 10_000);
        var clock = Stopwatch.StartNew();

        var (response, body) = await host.QueryAsync("{ a: spin b: spin c: spin }", "application/graphql-response+json");

        clock.Stop();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal("""{"a":null,"b":null,"c":null}""", root.GetProperty("data").GetRawText());
        var errors = root.GetProperty("errors").EnumerateArray().ToList();
        Assert.All(errors, e => Assert.Equal("deadline_exceeded", e.GetProperty("extensions").GetProperty("code").GetString()));
        // The first field is called and runs past the deadline, unless a busy machine took 0.3 s to start it at all.
        var first = errors[0].GetProperty("message").GetString()!;
        Assert.True(first.Contains("no answer within the request's deadline (0.3 s)", StringComparison.Ordinal)
            || first.Contains("not called: the request's deadline (0.3 s) had passed", StringComparison.Ordinal), first);
        Assert.All(errors.Skip(1), e => Assert.Contains("not called: the request's deadline (0.3 s) had passed", e.GetProperty("message").GetString()));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"took {clock.Elapsed}: the response waited for the 10 s call");
        await Eventually.TrueAsync(() => host.Counters.InFlight == 0, "no field call is still in flight", TimeSpan.FromSeconds(60));
        Assert.True(host.Counters.Completed <= 1, $"{host.Counters.Completed} fields called their function; only the first may");
    }

    /// <summary>The request's answer, and the most guest calls that were in flight at once while it ran.</summary>
    private static async Task<(T Result, int MostAtOnce)> WatchCallsAsync<T>(GraphQLHost host, Task<T> request)
    {
        var most = 0;
        while (!request.IsCompleted)
        {
            most = Math.Max(most, host.Counters.InFlight);
            await Task.WhenAny(request, Task.Delay(5));
        }

        return (await request, most);
    }
}
