using System.Globalization;
using System.Text.RegularExpressions;
using Wafer.Runtime.Tests.Support;
using Wafer.Runtime.Triggers;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Triggers;

/// <summary>Cron triggers of a runtime on its own: a function called on schedule, with its arguments, no broker needed.</summary>
public sealed partial class CronTriggerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static async Task<double> OkCallsAsync(RuntimeServer server)
    {
        var metrics = await server.Client.GetStringAsync("/metrics");
        var match = GreetOk().Match(metrics);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
    }

    [Fact]
    public async Task CronTrigger_CallsTheFunctionWithItsArguments_EverySecond()
    {
        await using var server = await RuntimeServer.StartAsync([]);
        RuntimeServer.CopyGuest("hello", server.PluginsPath, "hello");
        File.WriteAllText(Path.Combine(server.PluginsPath, "hello.wafer.json"), """
            { "name": "hello", "triggers": [ { "cron": "* * * * * *", "function": "greet", "args": { "name": "cron" } } ] }
            """);
        var cron = server.Services.GetRequiredService<RuntimeTriggers>().Host!.Cron;
        await Eventually.TrueAsync(() => cron.Fired >= 3, "three firings", Bound);

        // Every firing was a successful call of greet (an argument missing or wrong would count as bad_request).
        var calls = 0d;
        for (var deadline = DateTime.UtcNow + Bound; DateTime.UtcNow < deadline && calls < 3; await Task.Delay(100))
        {
            calls = await OkCallsAsync(server);
        }

        Assert.True(calls >= 3, $"greet answered ok {calls} time(s) after {cron.Fired} firing(s)");
        Assert.DoesNotContain("outcome=\"bad_request\"", await server.Client.GetStringAsync("/metrics"), StringComparison.Ordinal);

        // The plugin gone, the schedule stops.
        File.Delete(Path.Combine(server.PluginsPath, "hello.wasm"));
        await Eventually.TrueAsync(() => server.Catalog.Current.PluginsByName.Count == 0, "the plugin is removed", Bound);
        var after = cron.Fired;
        await Task.Delay(2500); // two occurrences of the schedule
        Assert.InRange(cron.Fired, after, after + 1); // at most one firing already under way when the plugin went
    }

    [GeneratedRegex("""wafer_function_calls_total\{plugin="hello",function="greet",outcome="ok"\} ([0-9.e+]+)""")]
    private static partial Regex GreetOk();
}
