using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Jobs;

/// <summary>Job records live in the state database (SQLite here) and survive a restart of the runtime.</summary>
public sealed class JobPersistenceTests
{
    [Fact]
    public async Task FinishedJob_IsStillThereAfterARestart()
    {
        var database = Path.Combine(Path.GetTempPath(), "wafer-tests", "jobs-" + Guid.NewGuid().ToString("N")[..8] + ".db");
        string id;
        await using (var first = await RuntimeServer.StartAsync(["c-job"], o => o.Database = database))
        {
            id = await first.SubmitAsync(new { plugin = "c-job", args = new[] { "exit", "3" }, env = new Dictionary<string, string> { ["A"] = "b" } });
            await first.WaitAsync(id);
        }

        await using var second = await RuntimeServer.StartAsync(["c-job"], o => o.Database = database);
        var job = await second.GetAsync(id);

        Assert.Equal("exited", job.Status());
        Assert.Equal(3, job.ExitCode());
        Assert.Equal("exiting with 3\n", job.Stderr());
        Assert.Equal("[\"exit\",\"3\"]", job.GetProperty("args").GetRawText());
        Assert.Equal("b", job.GetProperty("env").GetProperty("A").GetString());
    }

    [Fact]
    public async Task JobRunningAtShutdown_IsSavedAsInterrupted()
    {
        var database = Path.Combine(Path.GetTempPath(), "wafer-tests", "jobs-" + Guid.NewGuid().ToString("N")[..8] + ".db");
        string id;
        await using (var first = await RuntimeServer.StartAsync(["c-job"], o => o.Database = database))
        {
            id = await first.SubmitAsync(new { plugin = "c-job", args = new[] { "loop" } });
        }

        await using var second = await RuntimeServer.StartAsync(["c-job"], o => o.Database = database);
        var job = await second.GetAsync(id);

        Assert.Equal("failed", job.Status());
        Assert.StartsWith("interrupted", job.GetProperty("error").GetString());
    }
}
