using System.Net;
using Wafer.Runtime.Logs;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Logs;

/// <summary>
/// A call that fails (abort, trap, timeout, out of memory, guest error) leaves an error line in the call's log with
/// its call id, plugin, function and cause, so <c>GET /api/logs</c> and <c>wafer logs</c> show it, not only the
/// server's console; on SQLite and PostgreSQL, over HTTP and GraphQL.
/// </summary>
public sealed class FailedCallLogTests
{
    public static TheoryData<string, string, string?, HttpStatusCode, string, string> Failures => new()
    {
        { "abort", "fail", null, HttpStatusCode.InternalServerError, "abort", "call failed: abort: boom at plugin.c:12" },
        { "divzero", "divide", null, HttpStatusCode.InternalServerError, "trap", "call failed: trap: wasm trap: integer divide by zero" },
        { "loop", "spin", """{"limits":{"timeoutMs":200}}""", HttpStatusCode.GatewayTimeout, "timeout", "call failed: timeout: timed out after 200 ms" },
        { "grow", "hog", """{"limits":{"memoryMb":2}}""", HttpStatusCode.InternalServerError, "out_of_memory", "call failed: out_of_memory: out of memory:" },
        { "guest-error", "validate", null, HttpStatusCode.InternalServerError, "guest_error", "call failed: guest_error: name must not be empty" },
    };

    public static TheoryData<string> Dialects => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task FailedCall_IsAnErrorLineWithItsCause(string guest, string function, string? manifest, HttpStatusCode status, string cause, string message)
    {
        await using var server = await StartAsync(guest, manifest, database: null);

        var (response, body) = await server.PostJsonAsync($"/functions/{guest}/{function}", "{}");

        Assert.Equal(status, response.StatusCode);
        var callId = response.Headers.GetValues("X-Wafer-Call-Id").Single();
        Assert.Equal(callId, body.GetProperty("callId").GetString());
        var line = Assert.Single(await CallLogLimitTests.LinesOfCallAsync(server, callId, l => l.Length >= 1, guest));
        Assert.Equal(guest, line.GetProperty("plugin").GetString());
        Assert.Equal(function, line.GetProperty("function").GetString());
        Assert.Equal("error", line.GetProperty("level").GetString());
        Assert.Equal(cause, line.GetProperty("cause").GetString());
        Assert.StartsWith(message, line.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task FailedCall_AfterTheGuestsOwnLines_AndFilteredByPluginAndFunction(string dialect)
    {
        await using var server = await StartAsync("log", manifest: null, await TestDatabases.CreateAsync(dialect));
        RuntimeServer.CopyGuest("abort", server.PluginsPath);
        await Eventually.TrueAsync(() => server.Catalog.Current.PluginsByName.ContainsKey("abort"), "abort to load", TimeSpan.FromSeconds(30));

        var (logged, _) = await server.PostJsonAsync("/functions/log/chatty", "{}");
        var (failed, _) = await server.PostJsonAsync("/functions/abort/fail", "{}");

        Assert.Equal(HttpStatusCode.OK, logged.StatusCode);
        Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode);
        var failedId = failed.Headers.GetValues("X-Wafer-Call-Id").Single();
        await CallLogLimitTests.LinesOfCallAsync(server, failedId, l => l.Length >= 1, "abort");
        var ofAbort = await LogsAsync(server, "?plugin=abort");
        Assert.Equal(["call failed: abort: boom at plugin.c:12"], ofAbort.Select(l => l.GetProperty("message").GetString()));
        Assert.Equal(ofAbort, await LogsAsync(server, "?function=abort/fail"), JsonElementComparer.Instance);
        Assert.Empty(await LogsAsync(server, "?plugin=log&function=abort/fail"));
        var ofLog = await LogsAsync(server, "?plugin=log");
        Assert.Equal(7, ofLog.Length);
        Assert.All(ofLog, l => Assert.Equal(JsonValueKind.Null, l.GetProperty("cause").ValueKind));
    }

    [Fact]
    public async Task FailedGraphQLField_IsInTheCallLogToo()
    {
        await using var server = await StartAsync("abort", manifest: null, database: null);

        var answer = await server.GraphQLAsync("{ fail }");

        var error = answer.GetProperty("errors")[0];
        var callId = error.GetProperty("extensions").GetProperty("callId").GetString()!;
        var failure = Assert.Single(server.Services.GetRequiredService<GuestLogSink>().Recent(), e => e.CallId == callId);
        Assert.Equal(("abort", "fail", "abort"), (failure.Plugin, failure.Function, failure.Cause));
    }

    [Fact]
    public async Task SucceedingCall_LeavesNoFailureLine()
    {
        await using var server = await StartAsync("log", manifest: null, database: null);

        var (response, _) = await server.PostJsonAsync("/functions/log/chatty", "{}");

        var callId = response.Headers.GetValues("X-Wafer-Call-Id").Single();
        var lines = await CallLogLimitTests.LinesOfCallAsync(server, callId, l => l.Length >= 7, "log");
        Assert.Equal(7, lines.Length);
        Assert.DoesNotContain(server.Services.GetRequiredService<GuestLogSink>().Recent(), e => e.Cause is not null);
    }

    private static async Task<JsonElement[]> LogsAsync(RuntimeServer server, string query) =>
        JsonDocument.Parse(await server.Client.GetStringAsync("/api/logs" + query)).RootElement.EnumerateArray().Select(l => l.Clone()).ToArray();

    private static async Task<RuntimeServer> StartAsync(string guest, string? manifest, string? database)
    {
        var server = await RuntimeServer.StartAsync([], o => o.Database = database ?? o.Database);
        if (manifest is not null)
        {
            File.WriteAllText(Path.Combine(server.PluginsPath, guest + ".wafer.json"), manifest);
        }

        RuntimeServer.CopyGuest(guest, server.PluginsPath);
        await Eventually.TrueAsync(() => server.Catalog.Current.PluginsByName.ContainsKey(guest), $"{guest} to load", TimeSpan.FromSeconds(30));
        return server;
    }

    private sealed class JsonElementComparer : IEqualityComparer<JsonElement>
    {
        public static readonly JsonElementComparer Instance = new();

        public bool Equals(JsonElement x, JsonElement y) => x.GetRawText() == y.GetRawText();

        public int GetHashCode(JsonElement obj) => obj.GetRawText().GetHashCode(StringComparison.Ordinal);
    }
}
