using Npgsql;
using Wafer.Runtime.Tests.Capabilities.Support;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Capabilities;

/// <summary>
/// <c>sql.query</c> and <c>sql.execute</c> against a real PostgreSQL server (<c>WAFER_TEST_POSTGRES</c>; these tests
/// fail, not skip, without one). Each run gets a fresh database.
/// </summary>
public sealed class SqlTests : IAsyncLifetime
{
    private const string Password = "pg-secret-5d81c0";
    private CapabilityHarness _harness = null!;
    private string _connString = null!;

    public async ValueTask InitializeAsync()
    {
        _connString = await TestDatabases.PostgresAsync();
        var b = new NpgsqlConnectionStringBuilder(_connString);
        var url = $"postgres://{b.Username}@{b.Host}:{b.Port}/{b.Database}";
        await using (var connection = new NpgsqlConnection(_connString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                create table people (id serial primary key, name text not null, age int, tags text[], meta jsonb,
                                     born date, seen timestamptz, score numeric(6,2), photo bytea, ok boolean);
                insert into people (name, age, tags, meta, born, seen, score, photo, ok) values
                  ('Ada', 36, '{math,engines}', '{"lang":"en"}', '1815-12-10', '2024-05-01T10:00:00Z', 99.5, '\x0102', true),
                  ('Grace', 85, '{}', null, '1906-12-09', null, 88.25, null, false);
                """, connection);
            await command.ExecuteNonQueryAsync();
        }

        _harness = await CapabilityHarness.StartAsync(_ => { }, _ => $$$"""
            {
              "name": "hostcall",
              "limits": { "timeoutMs": 8000 },
              "connections": {
                "db": { "type": "postgresql", "connString": "{{{_connString}}};Password={{PASSWORD}}" },
                "url": { "type": "postgresql", "connString": "{{{url}}}" },
                "tiny": { "type": "postgresql", "connString": "{{{_connString}}}", "maxResponseBytes": 2048 },
                "hasty": { "type": "postgresql", "connString": "{{{_connString}}}", "timeoutMs": 500 },
                "locked": { "type": "postgresql", "connString": "{{{_connString}}};Password={{PASSWORD}}" },
                "web": { "type": "http", "baseUrl": "http://127.0.0.1:9/" }
              }
            }
            """, dotEnv: $"WAFER_DB_PASSWORD='{Password}'\n");
    }

    public async ValueTask DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }

    private Task<HostReply> QueryAsync(string statement, params object?[] parameters) =>
        _harness.CallAsync("sql.query", new { connection = "db", statement, @params = parameters });

    [Fact]
    public async Task Query_Rows_AreJsonObjectsWithTypedValues()
    {
        var reply = await QueryAsync("select id, name, age, tags, meta, born, seen, score, photo, ok from people where name = $1", "Ada");
        var rows = reply.Ok.GetProperty("rows");
        Assert.Equal(1, rows.GetArrayLength());
        var ada = rows[0];
        Assert.Equal(1, ada.GetProperty("id").GetInt32());
        Assert.Equal("Ada", ada.GetProperty("name").GetString());
        Assert.Equal(36, ada.GetProperty("age").GetInt32());
        Assert.Equal(["math", "engines"], ada.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToArray());
        Assert.Equal("en", ada.GetProperty("meta").GetProperty("lang").GetString());
        Assert.Equal("1815-12-10", ada.GetProperty("born").GetString()![..10]);
        Assert.StartsWith("2024-05-01T10:00:00", ada.GetProperty("seen").GetString());
        Assert.Equal(99.5m, ada.GetProperty("score").GetDecimal());
        Assert.Equal([1, 2], ada.GetProperty("photo").GetBytesFromBase64());
        Assert.True(ada.GetProperty("ok").GetBoolean());
        Assert.Equal(1, reply.Ok.GetProperty("rowsAffected").GetInt32());
    }

    [Fact]
    public async Task Query_NullsAndDuplicateColumnNames_AreKept()
    {
        var row = (await QueryAsync("select meta, seen, 1 as x, 2 as x from people where name = 'Grace'")).Ok.GetProperty("rows")[0];
        Assert.Equal(JsonValueKind.Null, row.GetProperty("meta").ValueKind);
        Assert.Equal(JsonValueKind.Null, row.GetProperty("seen").ValueKind);
        Assert.Equal(1, row.GetProperty("x").GetInt32());
        Assert.Equal(2, row.GetProperty("x_2").GetInt32());
    }

    [Fact]
    public async Task Query_ParameterKinds_BindByPosition()
    {
        var row = (await QueryAsync("select $1 + 1 as n, $2::text as s, $3::boolean as b, $4::int is null as isnull, $5::float8 * 2 as f",
            41, "text", true, null, 1.25)).Ok.GetProperty("rows")[0];
        Assert.Equal(42, row.GetProperty("n").GetInt32());
        Assert.Equal("text", row.GetProperty("s").GetString());
        Assert.True(row.GetProperty("b").GetBoolean());
        Assert.True(row.GetProperty("isnull").GetBoolean());
        Assert.Equal(2.5, row.GetProperty("f").GetDouble());
    }

    [Fact]
    public async Task Query_StringParameters_TakeTheTypeTheStatementNeeds()
    {
        var rows = (await QueryAsync("select name from people where id = $1 and born < $2", "1", "1900-01-01")).Ok.GetProperty("rows");
        Assert.Equal("Ada", rows[0].GetProperty("name").GetString());
    }

    [Fact]
    public async Task Query_ArrayParameter_WorksWithAny()
    {
        var rows = (await QueryAsync("select name from people where id = any($1) order by id", (object)new[] { 1, 2 })).Ok.GetProperty("rows");
        Assert.Equal(2, rows.GetArrayLength());
        var named = (await QueryAsync("select count(*) as n from people where name = any($1)", (object)new[] { "Ada", "Nobody" })).Ok;
        Assert.Equal(1, named.GetProperty("rows")[0].GetProperty("n").GetInt32());
    }

    [Fact]
    public async Task Execute_Insert_ReportsRowsAffectedAndInjectionIsStoredLiterally()
    {
        const string evil = "'; drop table people; --";
        var inserted = await _harness.CallAsync("sql.execute", new
        {
            connection = "db",
            statement = "insert into people (name, age) values ($1, $2), ($3, $4)",
            @params = new object[] { evil, 1, "Robert'); DROP TABLE people;--", 2 },
        });
        Assert.Equal(2, inserted.Ok.GetProperty("rowsAffected").GetInt32());

        var found = (await QueryAsync("select name from people where name = $1", evil)).Ok.GetProperty("rows");
        Assert.Equal(evil, found[0].GetProperty("name").GetString());
        var count = (await QueryAsync("select count(*) as n from people where age < 3")).Ok.GetProperty("rows")[0];
        Assert.Equal(2, count.GetProperty("n").GetInt32());

        var cleaned = await _harness.CallAsync("sql.execute", new { connection = "db", statement = "delete from people where age < $1", @params = new[] { 3 } });
        Assert.Equal(2, cleaned.Ok.GetProperty("rowsAffected").GetInt32());
    }

    [Fact]
    public async Task Query_InjectionThroughParameter_DoesNotRunAsSql()
    {
        var reply = await QueryAsync("select count(*) as n from people where name = $1", "x' or '1'='1");
        Assert.Equal(0, reply.Ok.GetProperty("rows")[0].GetProperty("n").GetInt32());
        var still = (await QueryAsync("select count(*) as n from people")).Ok.GetProperty("rows")[0];
        Assert.True(still.GetProperty("n").GetInt32() >= 2);
    }

    [Fact]
    public async Task Query_UrlConnString_Works()
    {
        var reply = await _harness.CallAsync("sql.query", new { connection = "url", statement = "select current_database() as db" });
        Assert.StartsWith("wafer_test_", reply.Ok.GetProperty("rows")[0].GetProperty("db").GetString());
    }

    [Fact]
    public async Task Query_PostgresError_PassesStateAndMessage()
    {
        var reply = await QueryAsync("select nosuchcolumn from people");
        Assert.StartsWith("sql.query: 42703: column \"nosuchcolumn\" does not exist", reply.Failure);
        var wrongCount = await QueryAsync("select $1::int + $2::int as n", 1);
        Assert.StartsWith("sql.query: 08P01", wrongCount.Failure);
    }

    [Fact]
    public async Task Query_LargeResult_FailsAtTheConnectionCap()
    {
        var reply = await _harness.CallAsync("sql.query", new { connection = "tiny", statement = "select g, repeat('x', 50) as pad from generate_series(1, 1000) g" });
        Assert.Equal("sql.query: the result is larger than 2048 bytes (connection 'tiny' maxResponseBytes); select fewer rows or columns", reply.Failure);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Query_SlowStatement_IsCancelledAtTheTimeout()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var reply = await _harness.CallAsync("sql.query", new { connection = "hasty", statement = "select pg_sleep(10)" });
        Assert.Contains("connection 'hasty' timed out after 500 ms", reply.Failure);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData("""{"connection":"nope","statement":"select 1"}""", "sql.query: no connection named 'nope' is declared in the manifest")]
    [InlineData("""{"connection":"web","statement":"select 1"}""", "sql.query: connection 'web' is a http connection, not postgresql")]
    [InlineData("""{"connection":"db"}""", "sql.query: \"statement\" is missing")]
    [InlineData("""{"connection":"db","statement":"  "}""", "sql.query: \"statement\" is empty")]
    [InlineData("""{"connection":"db","statement":"select $1","params":{"a":1}}""", "sql.query: \"params\" must be a JSON array (bound to $1, $2, …)")]
    [InlineData("""{"connection":"locked","statement":"select 1"}""", "sql.query: connection 'locked' needs secret PASSWORD: set WAFER_LOCKED_PASSWORD or add it to .env")]
    public async Task Query_BadRequest_FailsSayingWhatIsWrong(string request, string expected)
    {
        var reply = await _harness.CallAsync("sql.query", request);
        Assert.Equal(expected, reply.Failure);
    }

    [Fact]
    public async Task Query_PasswordNeverAppearsInResponsesLogsOrIntrospection()
    {
        var ok = await QueryAsync("select 1 as one");
        var bad = await QueryAsync("select from");
        var plugins = await _harness.Runtime.Client.GetStringAsync("/api/plugins");
        Assert.True(ok.Succeeded, ok.Error);
        Assert.DoesNotContain(Password, ok.RawBody + bad.RawBody + plugins + _harness.Logs.All);
        Assert.Contains("Password={{PASSWORD}}", plugins);
    }
}
