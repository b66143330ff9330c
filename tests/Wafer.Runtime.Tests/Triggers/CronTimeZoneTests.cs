using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Wafer.Protocol.Manifest;
using Wafer.Triggers;

namespace Wafer.Runtime.Tests.Triggers;

/// <summary>A cron trigger's <c>timezone</c> (docs/manifest.md, "Triggers"): the schedule is local time there, across a DST change, on a fixed clock.</summary>
public sealed class CronTimeZoneTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>Records the clock's time at each call; answers 200.</summary>
    private sealed class RecordingTarget(TimeProvider time) : ITriggerTarget
    {
        public ConcurrentQueue<DateTimeOffset> Calls { get; } = new();

        public ValueTask<TriggerAnswer> CallAsync(string plugin, string function, ReadOnlyMemory<byte> argumentsJson, CancellationToken cancellationToken)
        {
            Calls.Enqueue(time.GetUtcNow());
            return ValueTask.FromResult(new TriggerAnswer(200, "{}"u8.ToArray()));
        }

        public ValueTask<TriggerAnswer> StartJobAsync(ReadOnlyMemory<byte> jobJson, CancellationToken cancellationToken) => CallAsync("", "", jobJson, cancellationToken);
    }

    private static async Task WaitForCallsAsync(RecordingTarget target, int count)
    {
        for (var deadline = DateTime.UtcNow + Bound; target.Calls.Count < count && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(20);
        }

        Assert.Equal(count, target.Calls.Count);
    }

    [Fact]
    public async Task CronTrigger_WithTimeZone_FiresAtNineParisTimeBeforeAndAfterTheSpringDstChange()
    {
        // Europe/Paris is UTC+1 until 2026-03-29 01:00 UTC, then UTC+2: 09:00 there is 08:00 UTC, then 07:00 UTC.
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 27, 12, 0, 0, TimeSpan.Zero));
        var manifest = ManifestReader.Parse(Encoding.UTF8.GetBytes("""
            { "triggers": [ { "cron": "0 9 * * *", "timezone": "Europe/Paris", "function": "f" } ] }
            """), "p");
        var target = new RecordingTarget(time);
        await using var cron = new CronTriggerHost(target, time, NullLogger.Instance);
        cron.Apply([new PluginTriggers("p", "1", manifest.Triggers, null)]);

        time.SetUtcNow(new DateTimeOffset(2026, 3, 28, 7, 59, 59, TimeSpan.Zero));
        await Task.Delay(200); // a firing due now would be under way
        Assert.Empty(target.Calls);
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitForCallsAsync(target, 1);

        time.SetUtcNow(new DateTimeOffset(2026, 3, 29, 6, 59, 59, TimeSpan.Zero));
        await Task.Delay(200);
        Assert.Single(target.Calls);
        time.Advance(TimeSpan.FromSeconds(1));
        await WaitForCallsAsync(target, 2);

        Assert.Equal([new DateTimeOffset(2026, 3, 28, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 29, 7, 0, 0, TimeSpan.Zero)], target.Calls.ToArray());
    }
}
