using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Storage;
using Wafer.Runtime.Tests.Capabilities.Support;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Storage;

/// <summary>
/// A damaged SQLite state database is moved aside to <c>wafer.db.corrupt-TIMESTAMP</c> at start, said so in the log
/// and in <c>/readyz</c>, and a new one serves call logs and jobs; a PostgreSQL server that does not answer at start
/// leaves the runtime serving functions while <c>/readyz</c> and <c>/api/logs</c> say the state database is unavailable.
/// </summary>
public sealed class StateDatabaseRecoveryTests
{
    [Theory]
    [InlineData("header")]
    [InlineData("page")]
    public async Task DamagedSqliteFile_IsQuarantined_AndANewOneServes(string damage)
    {
        var path = TestDatabases.Sqlite();
        await SeedAsync(path);
        Damage(path, damage);
        var serverLog = new CapturingLoggerProvider();

        await using var server = await RuntimeServer.StartAsync(["log"], o => o.Database = path, services: s =>
        {
            s.AddSingleton<ILoggerProvider>(serverLog);
            s.Configure<LoggerFilterOptions>(o => o.Rules.Insert(0, new LoggerFilterRule(typeof(CapturingLoggerProvider).FullName, null, LogLevel.Trace, null)));
        });

        var ready = JsonDocument.Parse(await server.Client.GetStringAsync("/readyz")).RootElement;
        Assert.True(ready.GetProperty("ready").GetBoolean());
        Assert.Equal("ok", ready.GetProperty("status").GetString());
        var state = ready.GetProperty("stateDatabase");
        Assert.Equal("recovered", state.GetProperty("status").GetString());
        Assert.Equal("SQLite " + path, state.GetProperty("database").GetString());
        var quarantined = state.GetProperty("quarantined").GetString()!;
        Assert.Matches(@"\.corrupt-\d{8}T\d{6}Z$", quarantined);
        Assert.Equal(Path.GetDirectoryName(path), Path.GetDirectoryName(quarantined));
        Assert.True(File.Exists(quarantined), "the damaged file is kept for inspection");
        Assert.False(string.IsNullOrEmpty(state.GetProperty("error").GetString()));
        Assert.Contains(serverLog.Lines, l => l.Contains("[StateDatabaseQuarantined]", StringComparison.Ordinal) && l.Contains(quarantined, StringComparison.Ordinal));

        // The new database serves call logs.
        var (response, _) = await server.PostJsonAsync("/functions/log/chatty", "{}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var callId = response.Headers.GetValues("X-Wafer-Call-Id").Single();
        var lines = await Logs.CallLogLimitTests.LinesOfCallAsync(server, callId, l => l.Length >= 7, "log");
        Assert.Equal(7, lines.Length);
        var all = JsonDocument.Parse(await server.Client.GetStringAsync("/api/logs?limit=1000")).RootElement;
        Assert.DoesNotContain(all.EnumerateArray(), l => l.GetProperty("message").GetString()!.StartsWith("seeded", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/jobs")).StatusCode);
    }

    [Fact]
    public async Task HealthySqliteFile_IsKept()
    {
        var path = TestDatabases.Sqlite();
        await SeedAsync(path);

        await using var server = await RuntimeServer.StartAsync([], o => o.Database = path);

        var state = JsonDocument.Parse(await server.Client.GetStringAsync("/readyz")).RootElement.GetProperty("stateDatabase");
        Assert.Equal("ok", state.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("quarantined").ValueKind);
        var all = JsonDocument.Parse(await server.Client.GetStringAsync("/api/logs?limit=1000")).RootElement;
        Assert.Equal(300, all.GetArrayLength());
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.corrupt-*"));
    }

    [Fact]
    public async Task UnreachablePostgres_LeavesFunctionsServed_AndReadyzSaysWhy()
    {
        var port = LoopbackPorts.Free();
        var database = $"Host=127.0.0.1;Port={port};Username=wafer;Database=wafer;Timeout=3";

        await using var server = await RuntimeServer.StartAsync(["echo"], o => o.Database = database);

        var ready = await server.Client.GetAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement;
        Assert.True(body.GetProperty("ready").GetBoolean());
        Assert.Equal("degraded", body.GetProperty("status").GetString());
        var state = body.GetProperty("stateDatabase");
        Assert.Equal("unavailable", state.GetProperty("status").GetString());
        Assert.Equal($"PostgreSQL 127.0.0.1:{port}/wafer", state.GetProperty("database").GetString());
        Assert.False(string.IsNullOrEmpty(state.GetProperty("error").GetString()));

        var (call, result) = await server.PostJsonAsync("/functions/echo/hello", "{}");
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal("hello", result.GetProperty("result").GetString());

        var (logs, problem) = await GetProblemAsync(server, "/api/logs");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, logs);
        Assert.Equal("state_unavailable", problem.GetProperty("cause").GetString());
        Assert.Equal($"the state database (PostgreSQL 127.0.0.1:{port}/wafer) is unavailable; GET /readyz says why", problem.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await GetProblemAsync(server, "/api/inferences")).Status);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Body)> GetProblemAsync(RuntimeServer server, string path)
    {
        using var response = await server.Client.GetAsync(path);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    /// <summary>A state database with 300 call log lines, closed and checkpointed so everything is in the one file.</summary>
    private static async Task SeedAsync(string path)
    {
        await using (var database = SqlDatabase.Open(path, Path.GetTempPath()))
        {
            await new SqlCallLogStore(database).AddAsync(
                [.. Enumerable.Range(0, 300).Select(i => new CallLogRecord(0, DateTimeOffset.UtcNow, "c", "p", "f", "info", $"seeded line {i} " + new string('s', 200)))]);
        }

        SqliteConnection.ClearAllPools();
        Assert.False(File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0, "the write-ahead log was checkpointed");
    }

    /// <summary>Overwrites the file's header (SQLite no longer recognises it) or a page in its middle (only a check finds it).</summary>
    private static void Damage(string path, string where)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        var garbage = new byte[where == "header" ? 100 : 4096];
        Array.Fill(garbage, (byte)0x5A);
        file.Position = where == "header" ? 0 : file.Length / 2 / 4096 * 4096;
        file.Write(garbage);
    }
}
