using Wafer.Runtime.Storage;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Storage;

/// <summary>The state stores against SQLite and a real PostgreSQL server, with the same expectations.</summary>
public sealed class StoreTests
{
    public static TheoryData<string> Dialects => ["sqlite", "postgres"];

    private static async Task<SqlDatabase> OpenAsync(string dialect) =>
        SqlDatabase.Open(await TestDatabases.CreateAsync(dialect), Path.GetTempPath());

    private static InferenceRecord Inference(string id, DateTimeOffset time, string model = "chat", string status = "ok") =>
        new(id, time, "ai", "summarize", "c-1", model, "gpt-test", """{"messages":[]}""", """{"choices":[]}""", 12.5, 10, 20, status, null);

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Inferences_AreStoredAndPagedNewestFirstWithFilters(string dialect)
    {
        await using var database = await OpenAsync(dialect);
        var store = new SqlInferenceStore(database);
        var start = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        for (var i = 0; i < 5; i++)
        {
            await store.AddAsync(Inference($"i{i}", start.AddSeconds(i), model: i % 2 == 0 ? "chat" : "embed", status: i == 4 ? "error" : "ok"));
        }

        var page = await store.QueryAsync(new InferenceQuery(Limit: 2));
        Assert.Equal(["i4", "i3"], page.Select(r => r.Id));
        Assert.Equal(["i2", "i1"], (await store.QueryAsync(new InferenceQuery(Offset: 2, Limit: 2))).Select(r => r.Id));
        Assert.Equal(["i4", "i2", "i0"], (await store.QueryAsync(new InferenceQuery(Model: "chat"))).Select(r => r.Id));
        Assert.Equal(["i4"], (await store.QueryAsync(new InferenceQuery(Status: "error"))).Select(r => r.Id));
        Assert.Equal(["i4", "i3"], (await store.QueryAsync(new InferenceQuery(Since: start.AddSeconds(2)))).Select(r => r.Id));

        var stored = page[1];
        Assert.Equal(Inference("i3", start.AddSeconds(3), model: "embed"), stored);
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task CallLogs_FilterByPluginFunctionAndTime(string dialect)
    {
        await using var database = await OpenAsync(dialect);
        var store = new SqlCallLogStore(database);
        var t = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        await store.AddAsync([
            new CallLogRecord(0, t, "c1", "p", "greet", "info", "one"),
            new CallLogRecord(0, t.AddSeconds(1), "c2", "p", "other", "error", "call failed: trap: unreachable", "trap"),
            new CallLogRecord(0, t.AddSeconds(2), "c3", "q", "greet", "debug", "three'; DROP TABLE call_logs; --"),
        ]);

        Assert.Equal(["one", "three'; DROP TABLE call_logs; --"], (await store.QueryAsync(new CallLogQuery(Function: "greet", Limit: 100))).Select(l => l.Message));
        Assert.Equal(["one"], (await store.QueryAsync(new CallLogQuery(Function: "p/greet", Limit: 100))).Select(l => l.Message));
        Assert.Equal(["one", "call failed: trap: unreachable"], (await store.QueryAsync(new CallLogQuery(Plugin: "p", Limit: 100))).Select(l => l.Message));
        Assert.Equal(["one"], (await store.QueryAsync(new CallLogQuery(Plugin: "p", Function: "greet", Limit: 100))).Select(l => l.Message));
        Assert.Empty(await store.QueryAsync(new CallLogQuery(Plugin: "q", Function: "p/greet", Limit: 100)));
        Assert.Equal(["call failed: trap: unreachable", "three'; DROP TABLE call_logs; --"], (await store.QueryAsync(new CallLogQuery(Since: t, Limit: 100))).Select(l => l.Message));
        Assert.Equal(["three'; DROP TABLE call_logs; --"], (await store.QueryAsync(new CallLogQuery(Limit: 1))).Select(l => l.Message));
        Assert.Equal([null, "trap", null], (await store.QueryAsync(new CallLogQuery())).Select(l => l.Cause));
    }

    [Fact]
    public async Task CallLogs_OfTheFirstSchema_AreKept_AndGainTheCauseColumn()
    {
        var path = TestDatabases.Sqlite();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}"))
        {
            // call_logs as the first released schema step left it
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE wafer_schema_migrations (version INTEGER PRIMARY KEY, applied_ms BIGINT NOT NULL);
                INSERT INTO wafer_schema_migrations VALUES (1, 0);
                CREATE TABLE call_logs (
                  id INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL, call_id TEXT NOT NULL, plugin TEXT NOT NULL,
                  function TEXT NOT NULL, level TEXT NOT NULL, message TEXT NOT NULL);
                INSERT INTO call_logs (time_ms, call_id, plugin, function, level, message) VALUES (1700000000000, 'c0', 'p', 'f', 'info', 'from before');
                """;
            await command.ExecuteNonQueryAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await using var database = SqlDatabase.Open(path, Path.GetTempPath());
        var store = new SqlCallLogStore(database);
        await store.AddAsync([new CallLogRecord(0, DateTimeOffset.UtcNow, "c1", "p", "f", "error", "call failed: trap: unreachable", "trap")]);

        var lines = await store.QueryAsync(new CallLogQuery(Plugin: "p"));
        Assert.Equal([("from before", null), ("call failed: trap: unreachable", "trap")], lines.Select(l => (l.Message, l.Cause)));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Jobs_SurviveReopeningAndInterruptedOnesAreFailed(string dialect)
    {
        var connection = await TestDatabases.CreateAsync(dialect);
        var started = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var done = new JobRecord("j1", "tool", JobRecord.Exited, ["a", "b c"], new Dictionary<string, string> { ["K"] = "v" },
            3, "out", "err", false, true, null, started, 42.5);
        await using (var database = SqlDatabase.Open(connection, Path.GetTempPath()))
        {
            var store = new SqlJobStore(database);
            await store.SaveAsync(done with { State = JobRecord.Running, ExitCode = null });
            await store.SaveAsync(done);
            await store.SaveAsync(done with { Id = "j2", State = JobRecord.Running, ExitCode = null, StartedAt = started.AddSeconds(1) });
        }

        await using (var database = SqlDatabase.Open(connection, Path.GetTempPath()))
        {
            var store = new SqlJobStore(database);
            var reloaded = await store.GetAsync("j1");
            Assert.NotNull(reloaded);
            Assert.Equal(done.Args, reloaded.Args);
            Assert.Equal(done.Env, reloaded.Env);
            Assert.Equal(done with { Args = reloaded.Args, Env = reloaded.Env }, reloaded);

            Assert.Equal(1, await store.FailInterruptedAsync());
            var interrupted = await store.GetAsync("j2");
            Assert.Equal(JobRecord.Failed, interrupted!.State);
            Assert.Contains("restarted", interrupted.Error);
            Assert.Equal(["j2", "j1"], (await store.ListAsync(0, 10)).Select(j => j.Id));
            Assert.Null(await store.GetAsync("missing"));
        }
    }

    [Fact]
    public async Task Migrations_RunOnceEvenWhenTwoProcessesShareAPostgresDatabase()
    {
        var connection = await TestDatabases.PostgresAsync();
        await using var first = SqlDatabase.Open(connection, Path.GetTempPath());
        await using var second = SqlDatabase.Open(connection, Path.GetTempPath());
        await Task.WhenAll(
            Task.Run(async () => await (await first.OpenAsync()).DisposeAsync()),
            Task.Run(async () => await (await second.OpenAsync()).DisposeAsync()));
        await using var check = await first.OpenAsync();
        using var command = check.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM wafer_schema_migrations";
        Assert.Equal(2L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("postgres://u:p%40ss@db.example:6543/state", true)]
    [InlineData("Host=localhost;Database=x", true)]
    [InlineData("/var/lib/wafer/state.db", false)]
    [InlineData(null, false)]
    public void IsPostgres_RecognisesConnectionStrings(string? database, bool expected) =>
        Assert.Equal(expected, SqlDatabase.IsPostgres(database));
}
