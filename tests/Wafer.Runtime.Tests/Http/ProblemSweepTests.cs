using Wafer.Runtime.Storage;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Http;

/// <summary>
/// Every error a runtime answers, its own and the framework's, is an RFC 7807 problem from the shared vocabulary:
/// each route with wrong methods, unknown paths, bad content types, oversize and malformed bodies, values that do
/// not bind, and an unhandled exception.
/// </summary>
public sealed class ProblemSweepTests
{
    private const int Limit = 16 * 1024;

    [Fact]
    public async Task Sweep_EveryErrorIsAProblemWithOneTitlePerType()
    {
        await using var server = await RuntimeServer.StartAsync(["echo", "c-wagi"], o => o.MaxRequestBytes = Limit);
        var sweep = new ProblemSweep(server.Client);

        // Wrong methods on every route.
        foreach (var path in new[] { "/functions/hello", "/functions/echo/hello", "/graphql-worker", "/jobs" })
        {
            await sweep.ExpectAsync(HttpMethod.Put, path, 405);
        }

        await sweep.ExpectAsync(HttpMethod.Get, "/functions/hello", 405, "accepts POST");
        await sweep.ExpectAsync(HttpMethod.Delete, "/functions/echo/hello", 405, "accepts POST");
        await sweep.ExpectAsync(HttpMethod.Put, "/api/plugins", 405);
        await sweep.ExpectAsync(HttpMethod.Post, "/api/plugins/echo", 405);
        foreach (var path in new[] { "/healthz", "/readyz", "/metrics", "/api/info", "/api/functions", "/api/logs", "/api/inferences", "/jobs/x" })
        {
            await sweep.ExpectAsync(HttpMethod.Post, path, 405);
        }

        // Unknown paths, whatever the client accepts.
        await sweep.ExpectAsync(HttpMethod.Get, "/api/unknown", 404, "/api/unknown");
        await sweep.ExpectAsync(HttpMethod.Get, "/no/such/thing", 404);
        using (var html = new HttpRequestMessage(HttpMethod.Get, "/nope"))
        {
            html.Headers.Accept.ParseAdd("text/html");
            await sweep.ExpectAsync(html, 404);
        }

        await sweep.ExpectAsync(HttpMethod.Get, "/api/plugins/nope", 404, "nope");
        await sweep.ExpectAsync(HttpMethod.Delete, "/api/plugins/nope", 404, "nope");
        await sweep.ExpectAsync(HttpMethod.Get, "/jobs/nope", 404, "nope");
        await sweep.ExpectAsync(HttpMethod.Post, "/functions/nothing-here", ProblemSweep.Json("{}"), 404);

        // Query values that do not bind, or are out of range.
        await sweep.ExpectAsync(HttpMethod.Get, "/api/logs?since=yesterday", 400, "since");
        await sweep.ExpectAsync(HttpMethod.Get, "/api/logs?limit=many", 400, "limit");
        await sweep.ExpectAsync(HttpMethod.Get, "/api/logs?limit=0", 400, "limit");
        await sweep.ExpectAsync(HttpMethod.Get, "/api/inferences?offset=x", 400, "offset");
        await sweep.ExpectAsync(HttpMethod.Get, "/jobs?limit=-1", 400, "limit");

        // Bad content types, malformed and oversize bodies.
        await sweep.ExpectAsync(HttpMethod.Post, "/api/plugins", ProblemSweep.Text("x"), 415, "text/plain");
        await sweep.ExpectAsync(HttpMethod.Post, "/functions/hello", ProblemSweep.Json("{"), 400);
        await sweep.ExpectAsync(HttpMethod.Post, "/functions/echo/echo", ProblemSweep.Json("[1]"), 400);
        await sweep.ExpectAsync(HttpMethod.Post, "/jobs", ProblemSweep.Json("{"), 400);
        await sweep.ExpectAsync(HttpMethod.Post, "/graphql-worker", ProblemSweep.Json("{"), 400);
        foreach (var path in new[] { "/functions/hello", "/jobs", "/graphql-worker", "/api/plugins?name=x" })
        {
            var type = path.StartsWith("/api/plugins", StringComparison.Ordinal) ? "application/wasm" : "application/json";
            await sweep.ExpectAsync(HttpMethod.Post, path, ProblemSweep.Bytes(Limit + 1, type), 413);
            await sweep.ExpectAsync(HttpMethod.Post, path, ProblemSweep.Chunked(Limit + 1024, type), 413);
        }

        // A handler route keeps its own 405 and 404 answers.
        await sweep.ExpectAsync(HttpMethod.Delete, "/wagi/hello", 405);

        sweep.AssertClean();
    }

    [Fact]
    public async Task UnhandledException_Is500ProblemThatLeaksNothing()
    {
        // A store failing in a way this machine cannot produce on demand (a double): its message names a secret.
        await using var server = await RuntimeServer.StartAsync(["echo"],
            services: s => s.AddSingleton<ICallLogStore>(new ThrowingLogStore()));
        var sweep = new ProblemSweep(server.Client);

        var body = await sweep.ExpectAsync(HttpMethod.Get, "/api/logs", 500);

        sweep.AssertClean();
        Assert.DoesNotContain("hunter2", body!.Value.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("ThrowingLogStore", body.Value.GetRawText(), StringComparison.Ordinal);
        Assert.Equal("urn:wafer:problem:internal", body.Value.GetProperty("type").GetString());
    }

    private sealed class ThrowingLogStore : ICallLogStore
    {
        public Task AddAsync(IReadOnlyList<CallLogRecord> lines, CancellationToken cancellationToken = default) => Task.CompletedTask;

        public Task<IReadOnlyList<CallLogRecord>> QueryAsync(CallLogQuery query, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("connection to Host=db;Password=hunter2 failed");
    }
}
