using System.Net;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Tests.Capabilities.Support;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Logs;

/// <summary>
/// A guest cannot flood its call's log, the state database, the server's log or its caller: the log-flood guest logs
/// 200,000 lines, a 5 MiB line, 238,000 traces, and fails with a 30 MiB error and a 1 MiB abort; what is kept is cut
/// to the limits with a marker saying how much was left out, on SQLite and on PostgreSQL.
/// </summary>
public sealed class CallLogLimitTests
{
    private const string Guest = "log-flood";

    public static TheoryData<string> Dialects => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Flood_KeepsTheLineLimit_ThenOneLineCountingTheRest(string dialect)
    {
        var database = await TestDatabases.CreateAsync(dialect);
        var serverLog = new CapturingLoggerProvider();
        await using var server = await StartAsync(o =>
        {
            o.Database = database;
            o.Logs.LinesPerCall = 50;
        }, serverLog);

        var callId = await CallAsync(server, "flood", HttpStatusCode.OK);
        var lines = await LinesOfCallAsync(server, callId, l => l.Any(IsDropLine));

        Assert.Equal(51, lines.Length);
        Assert.All(lines[..50], l => Assert.Equal("flood line ..... 32 bytes long!!", Message(l)));
        Assert.Equal("warning", lines[50].GetProperty("level").GetString());
        Assert.Equal("… [dropped 199,950 more lines (6,398,400 bytes) of this call: a call may log 50 lines and 1,048,576 bytes]", Message(lines[50]));

        // The server's own log got the same lines, not 200,000.
        var logged = serverLog.Lines.Count(l => l.Contains("[GuestLog]", StringComparison.Ordinal) && l.Contains(callId, StringComparison.Ordinal));
        Assert.Equal(51, logged);
    }

    [Fact]
    public async Task Flood_StopsAtTheByteLimitPerCall()
    {
        await using var server = await StartAsync(o => o.Logs.BytesPerCall = 32 * 100);

        var callId = await CallAsync(server, "flood", HttpStatusCode.OK);
        var lines = await LinesOfCallAsync(server, callId, l => l.Any(IsDropLine));

        Assert.Equal(101, lines.Length);
        Assert.Equal("… [dropped 199,900 more lines (6,396,800 bytes) of this call: a call may log 1,000 lines and 3,200 bytes]", Message(lines[^1]));
    }

    [Fact]
    public async Task TraceFlood_IsHeldToTheDefaultLineLimit()
    {
        await using var server = await StartAsync();

        var callId = await CallAsync(server, "traceFlood", HttpStatusCode.OK);
        var lines = await LinesOfCallAsync(server, callId, l => l.Any(IsDropLine));

        // 1,000 traces and the drop line: a page of the newest 1,000 starts at the second trace
        Assert.Equal(1000, lines.Length);
        Assert.Equal("trace 1", Message(lines[0]));
        Assert.Equal("trace 999", Message(lines[^2]));
        Assert.Equal("… [dropped 237,000 more lines (2,370,000 bytes) of this call: a call may log 1,000 lines and 1,048,576 bytes]", Message(lines[^1]));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task HugeLine_IsCutToTheLineLimitWithAMarker(string dialect)
    {
        var database = await TestDatabases.CreateAsync(dialect);
        await using var server = await StartAsync(o => o.Database = database);

        var callId = await CallAsync(server, "hugeLine", HttpStatusCode.OK);
        var lines = await LinesOfCallAsync(server, callId, l => l.Length >= 2);

        Assert.Equal(2, lines.Length);
        Assert.Equal(new string('y', 16 * 1024) + "… [truncated: 5,226,496 more bytes]", Message(lines[0]));
        Assert.Equal("after the huge line", Message(lines[1]));
    }

    [Fact]
    public async Task HugeLine_IsCutAtAConfiguredLimit()
    {
        await using var server = await StartAsync(o => o.Logs.LineBytes = 1000);

        var callId = await CallAsync(server, "hugeLine", HttpStatusCode.OK);
        var lines = await LinesOfCallAsync(server, callId, l => l.Length >= 2);

        Assert.Equal(new string('y', 1000) + "… [truncated: 5,241,880 more bytes]", Message(lines[0]));
    }

    [Fact]
    public async Task HugeGuestError_IsCutInTheResponseAndInTheLog()
    {
        var serverLog = new CapturingLoggerProvider();
        await using var server = await StartAsync(configure: null, serverLog);

        var (response, body) = await server.PostJsonAsync($"/functions/{Guest}/hugeError", "{}");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var expected = new string('e', 16 * 1024) + "… [truncated: 31,440,896 more bytes]";
        Assert.Equal($"{Guest}/hugeError failed: guest_error: {expected}", body.GetProperty("detail").GetString());
        Assert.True(body.GetRawText().Length < 20_000, $"the response is {body.GetRawText().Length} characters");
        var callId = body.GetProperty("callId").GetString()!;
        var lines = await LinesOfCallAsync(server, callId, l => l.Length >= 1);
        Assert.Equal($"call failed: guest_error: {expected}", Message(Assert.Single(lines)));
        Assert.All(serverLog.Lines, l => Assert.True(l.Length < 20_000, $"a server log line of {l.Length} characters"));
    }

    [Fact]
    public async Task HugeAbort_IsCutToTheConfiguredMessageLimit()
    {
        await using var server = await StartAsync(o => o.Logs.ErrorMessageBytes = 500);

        var (response, body) = await server.PostJsonAsync($"/functions/{Guest}/hugeAbort", "{}");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal($"{Guest}/hugeAbort failed: abort: {new string('z', 500)}… [truncated: 1,048,076 more bytes]", body.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Calls_EachGetTheirOwnLimit()
    {
        await using var server = await StartAsync(o => o.Logs.LinesPerCall = 10);

        var flooded = await CallAsync(server, "flood", HttpStatusCode.OK);
        var quiet = await CallAsync(server, "quiet", HttpStatusCode.OK);

        Assert.Equal(11, (await LinesOfCallAsync(server, flooded, l => l.Any(IsDropLine))).Length);
        Assert.Equal("one quiet line", Message(Assert.Single(await LinesOfCallAsync(server, quiet, l => l.Length >= 1))));
    }

    [Theory]
    [InlineData(100, 1000, 1024 * 1024, 16384, "Logs:LineBytes (--logLineBytes) must be between 256 and 1048576, got 100")]
    [InlineData(16384, 0, 1024 * 1024, 16384, "Logs:LinesPerCall (--logLinesPerCall) must be between 1 and 1000000, got 0")]
    [InlineData(16384, 1000, 10, 16384, "Logs:BytesPerCall (--logBytesPerCall) must be between 1024 and 1073741824, got 10")]
    [InlineData(16384, 1000, 1024 * 1024, 0, "Logs:ErrorMessageBytes (--errorMessageBytes) must be between 256 and 16777216, got 0")]
    public void Limits_OutOfRange_AreRefusedNamingTheFlag(int lineBytes, int lines, long bytes, int errorBytes, string error)
    {
        var options = new RuntimeOptions { PluginsPath = Path.GetTempPath() };
        options.Logs.LineBytes = lineBytes;
        options.Logs.LinesPerCall = lines;
        options.Logs.BytesPerCall = bytes;
        options.Logs.ErrorMessageBytes = errorBytes;

        Assert.Equal([error], options.Validate());
    }

    private static bool IsDropLine(JsonElement line) => Message(line).StartsWith("… [dropped ", StringComparison.Ordinal);

    private static string Message(JsonElement line) => line.GetProperty("message").GetString()!;

    private static async Task<RuntimeServer> StartAsync(Action<RuntimeOptions>? configure = null, CapturingLoggerProvider? serverLog = null)
    {
        var server = await RuntimeServer.StartAsync([Guest], configure, services: services =>
        {
            if (serverLog is not null)
            {
                services.AddSingleton<ILoggerProvider>(serverLog);
                services.Configure<LoggerFilterOptions>(o =>
                    o.Rules.Insert(0, new LoggerFilterRule(typeof(CapturingLoggerProvider).FullName, null, LogLevel.Trace, null)));
            }
        });
        await Eventually.TrueAsync(() => server.Catalog.Current.PluginsByName.ContainsKey(Guest), $"{Guest} to load", TimeSpan.FromSeconds(30));
        return server;
    }

    private static async Task<string> CallAsync(RuntimeServer server, string function, HttpStatusCode expected)
    {
        var (response, _) = await server.PostJsonAsync($"/functions/{Guest}/{function}", "{}");
        Assert.Equal(expected, response.StatusCode);
        return response.Headers.GetValues("X-Wafer-Call-Id").Single();
    }

    /// <summary>The stored lines of one call, oldest first, once <paramref name="done"/> holds (lines are stored off the call path).</summary>
    internal static async Task<JsonElement[]> LinesOfCallAsync(RuntimeServer server, string callId, Func<JsonElement[], bool> done, string plugin = Guest)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var all = JsonDocument.Parse(await server.Client.GetStringAsync($"/api/logs?plugin={plugin}&limit=1000")).RootElement;
            var lines = all.EnumerateArray().Where(l => l.GetProperty("callId").GetString() == callId).Select(l => l.Clone()).ToArray();
            if (done(lines))
            {
                return lines; // lines are stored in the order they were logged, so everything before the awaited one is there
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"call {callId}: {lines.Length} lines after 30 s");
            }

            await Task.Delay(50);
        }
    }
}
