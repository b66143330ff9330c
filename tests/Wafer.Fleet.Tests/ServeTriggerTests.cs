using System.Diagnostics;

namespace Wafer.Fleet.Tests;

/// <summary><c>wafer serve</c> and triggers: a folder plugin's schedule fires once per occurrence, in the one process.</summary>
public sealed partial class ServeTests
{
    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Serve_FolderPluginCronTrigger_FiresOncePerOccurrence()
    {
        File.Copy(Repository.Guest("c-job.wasm"), Path.Combine(_folder, "plugins", "ticker.wasm"));
        File.WriteAllText(Path.Combine(_folder, "plugins", "ticker.wafer.json"), """
            { "name": "ticker", "type": "command", "limits": { "timeoutMs": 3000, "memoryMb": 16 },
              "triggers": [ { "cron": "* * * * * *", "job": { "args": ["hello"] } } ] }
            """);
        using var serve = StartServe("--orchestratorPort", "0", "--brokerPort", "0");
        var (runtimeUrl, _) = await StartupLineAsync(serve);
        using var runtime = new HttpClient { BaseAddress = new Uri(runtimeUrl), Timeout = TimeSpan.FromSeconds(30) };

        async Task<int> JobsAsync()
        {
            using var list = JsonDocument.Parse(await runtime.GetStringAsync("/jobs?limit=500"));
            return list.RootElement.GetProperty("items").EnumerateArray().Count(j => j.GetProperty("plugin").GetString() == "ticker");
        }

        await Until(serve, async () => await JobsAsync() > 0, "the schedule fires");
        var clock = Stopwatch.StartNew();
        var before = await JobsAsync();
        await Task.Delay(TimeSpan.FromSeconds(6)); // the measured window itself: firings accrue at the schedule's pace
        var fired = await JobsAsync() - before;
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine($"serve: {fired} firing(s) in {seconds:0.0} s");
        Assert.InRange(fired, 2, (int)Math.Ceiling(seconds) + 1);
    }
}
