using System.Net;
using Wafer.Runtime.Storage;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Storage;

/// <summary>
/// Retention of the state database: rows past the age or count limit are deleted in batches, running jobs never, on
/// SQLite and PostgreSQL; a runtime applies it in the background, first one interval after start (a minute at most),
/// then every interval.
/// </summary>
public sealed class RetentionTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);

    public static TheoryData<string> Dialects => ["sqlite", "postgres"];

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task CallLogs_OlderThanTheCutoff_AreDeleted_AndTheNewestAreKept(string dialect)
    {
        await using var database = SqlDatabase.Open(await TestDatabases.CreateAsync(dialect), Path.GetTempPath());
        var logs = new SqlCallLogStore(database);
        var retention = new SqlRetention(database);

        // ten lines a second apart, then three more in the same millisecond as the last
        await logs.AddAsync([.. Enumerable.Range(0, 10).Select(i => Line(T0.AddSeconds(i), $"line {i}")),
            Line(T0.AddSeconds(9), "tie a"), Line(T0.AddSeconds(9), "tie b"), Line(T0.AddSeconds(9), "tie c")]);

        Assert.Equal(4, await retention.DeleteOlderThanAsync(RetainedTable.CallLogs, T0.AddSeconds(4), CancellationToken.None));
        Assert.Equal(6, await retention.KeepNewestAsync(RetainedTable.CallLogs, 3, CancellationToken.None));
        Assert.Equal(0, await retention.KeepNewestAsync(RetainedTable.CallLogs, 3, CancellationToken.None));

        Assert.Equal(["tie a", "tie b", "tie c"], (await logs.QueryAsync(new CallLogQuery())).Select(l => l.Message));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Jobs_Running_AreNeverDeleted(string dialect)
    {
        await using var database = SqlDatabase.Open(await TestDatabases.CreateAsync(dialect), Path.GetTempPath());
        var jobs = new SqlJobStore(database);
        var retention = new SqlRetention(database);
        for (var i = 0; i < 4; i++)
        {
            await jobs.SaveAsync(Job($"done-{i}", JobRecord.Exited, T0.AddSeconds(i)));
        }

        await jobs.SaveAsync(Job("old-but-running", JobRecord.Running, T0.AddDays(-100)));

        Assert.Equal(2, await retention.KeepNewestAsync(RetainedTable.Jobs, 2, CancellationToken.None));
        Assert.Equal(2, await retention.DeleteOlderThanAsync(RetainedTable.Jobs, T0.AddDays(1), CancellationToken.None));

        Assert.Equal(["old-but-running"], (await jobs.ListAsync(0, 100)).Select(j => j.Id));
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public async Task Inferences_PastTheLimits_AreDeleted(string dialect)
    {
        await using var database = SqlDatabase.Open(await TestDatabases.CreateAsync(dialect), Path.GetTempPath());
        var inferences = new SqlInferenceStore(database);
        var retention = new SqlRetention(database);
        for (var i = 0; i < 6; i++)
        {
            await inferences.AddAsync(new InferenceRecord($"i{i}", T0.AddMinutes(i), "ai", "ask", "c", "chat", "m", "{}", "{}", 1, null, null, "ok", null));
        }

        Assert.Equal(1, await retention.DeleteOlderThanAsync(RetainedTable.Inferences, T0.AddMinutes(1), CancellationToken.None));
        Assert.Equal(2, await retention.KeepNewestAsync(RetainedTable.Inferences, 3, CancellationToken.None));

        Assert.Equal(["i5", "i4", "i3"], (await inferences.QueryAsync(new InferenceQuery())).Select(r => r.Id));
    }

    [Fact]
    public async Task ManyRows_AreDeletedInBatches()
    {
        await using var database = SqlDatabase.Open(TestDatabases.Sqlite(), Path.GetTempPath());
        var logs = new SqlCallLogStore(database);
        var count = SqlRetention.BatchSize * 2 + 500;
        await logs.AddAsync([.. Enumerable.Range(0, count).Select(i => Line(T0.AddMilliseconds(i), "x"))]);
        await logs.AddAsync([Line(T0.AddDays(1), "kept")]);

        var deleted = await new SqlRetention(database).DeleteOlderThanAsync(RetainedTable.CallLogs, T0.AddHours(1), CancellationToken.None);

        Assert.Equal(count, deleted);
        Assert.Equal(["kept"], (await logs.QueryAsync(new CallLogQuery())).Select(l => l.Message));
    }

    [Fact]
    public async Task Runtime_AppliesRetentionInTheBackground_OneIntervalAfterStartAndEveryIntervalAfter()
    {
        var path = TestDatabases.Sqlite();
        await using (var seeded = SqlDatabase.Open(path, Path.GetTempPath()))
        {
            // lines from before the start: two too old, one recent enough
            var now = DateTimeOffset.UtcNow;
            await new SqlCallLogStore(seeded).AddAsync([Line(now.AddDays(-9), "nine days old"), Line(now.AddDays(-8), "eight days old"), Line(now.AddHours(-1), "an hour old")]);
        }

        await using var server = await RuntimeServer.StartAsync(["log"], o =>
        {
            o.Database = path;
            o.Retention.Interval = TimeSpan.FromMilliseconds(200);
            o.Retention.LogMaxAge = TimeSpan.FromDays(7);
            o.Retention.LogMaxLines = 10;
        });
        var retention = server.Services.GetRequiredService<StateRetention>();
        await Eventually.TrueAsync(() => retention.Sweeps >= 1, "the first sweep", TimeSpan.FromSeconds(30));
        Assert.Equal(["an hour old"], await MessagesAsync(server));

        for (var i = 0; i < 3; i++)
        {
            var (response, _) = await server.PostJsonAsync("/functions/log/chatty", "{}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // 1 + 21 lines stored, then trimmed to the newest 10 by a later sweep
        var deadline = DateTime.UtcNow.AddSeconds(30);
        string[] messages;
        while ((messages = await MessagesAsync(server)).Length != 10 || messages.Contains("an hour old"))
        {
            Assert.True(DateTime.UtcNow < deadline, $"still {messages.Length} lines after 30 s");
            await Task.Delay(50);
        }

        Assert.Equal("héllo ☃", messages[^2]);
    }

    [Theory]
    [InlineData("interval", "Retention:Interval (--retentionInterval) must be between 100ms and 1 day, got 00:00:00")]
    [InlineData("age", "Retention:LogMaxAge (--logRetention) must be 0 (keep everything) or at least 1s, got -00:00:01")]
    [InlineData("count", "Retention:JobMaxRecords (--jobMaxRecords) must be 0 (keep everything) or more, got -1")]
    public void Settings_OutOfRange_AreRefusedNamingTheFlag(string which, string error)
    {
        var options = new Wafer.Runtime.Hosting.RuntimeOptions { PluginsPath = Path.GetTempPath() };
        switch (which)
        {
            case "interval":
                options.Retention.Interval = TimeSpan.Zero;
                break;
            case "age":
                options.Retention.LogMaxAge = TimeSpan.FromSeconds(-1);
                break;
            default:
                options.Retention.JobMaxRecords = -1;
                break;
        }

        Assert.Equal([error], options.Validate());
    }

    private static async Task<string[]> MessagesAsync(RuntimeServer server) =>
        JsonDocument.Parse(await server.Client.GetStringAsync("/api/logs?limit=1000")).RootElement.EnumerateArray()
            .Select(l => l.GetProperty("message").GetString()!).ToArray();

    private static CallLogRecord Line(DateTimeOffset time, string message) => new(0, time, "c", "p", "f", "info", message);

    private static JobRecord Job(string id, string state, DateTimeOffset started) =>
        new(id, "tool", state, [], new Dictionary<string, string>(), null, "", "", false, false, null, started, null);
}
