using System.Text;
using System.Text.Json;
using Cronos;
using Microsoft.Extensions.Logging;
using Wafer.Protocol.Manifest;

namespace Wafer.Triggers;

/// <summary>
/// Cron triggers: one loop per schedule waits for its next occurrence (UTC) and fires once, calling the function or
/// starting the job through the <see cref="ITriggerTarget"/>. A firing that comes while the last one of the same
/// trigger is still running is skipped (and logged), so a slow function never piles up calls. The host runs in one
/// place per fleet (the orchestrator, or a runtime on its own), which is what makes each occurrence fire once.
/// </summary>
internal sealed partial class CronTriggerHost(ITriggerTarget target, TimeProvider time, ILogger logger) : IAsyncDisposable
{
    private readonly Dictionary<string, Schedule> _running = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _fired;

    /// <summary>Firings so far, for tests and metrics.</summary>
    public long Fired => Interlocked.Read(ref _fired);

    /// <summary>Makes <paramref name="plugins"/>' cron triggers the ones that run; a trigger that stays keeps its loop.</summary>
    public void Apply(IReadOnlyList<PluginTriggers> plugins)
    {
        var wanted = new Dictionary<string, (PluginTriggers Plugin, CronTriggerSpec Spec)>(StringComparer.Ordinal);
        foreach (var plugin in plugins)
        {
            foreach (var spec in plugin.Triggers.OfType<CronTriggerSpec>())
            {
                wanted[plugin.KeyOf(spec)] = (plugin, spec);
            }
        }

        lock (_lock)
        {
            foreach (var key in _running.Where(r => !wanted.TryGetValue(r.Key, out var w) || !w.Spec.Equals(r.Value.Spec)).Select(r => r.Key).ToList())
            {
                _running.Remove(key, out var schedule);
                schedule!.Stop.Cancel();
            }

            foreach (var (key, (plugin, spec)) in wanted)
            {
                if (_running.ContainsKey(key))
                {
                    continue;
                }

                var schedule = new Schedule(plugin, spec, CronExpression.Parse(spec.Schedule, spec.HasSeconds ? CronFormat.IncludeSeconds : CronFormat.Standard), new CancellationTokenSource());
                _running[key] = schedule;
                schedule.Loop = Task.Run(() => RunAsync(schedule, schedule.Stop.Token));
                Scheduled(logger, plugin.Plugin, spec.Path, spec.Schedule, schedule.Zone.Id);
            }
        }
    }

    private async Task RunAsync(Schedule schedule, CancellationToken stop)
    {
        Task? firing = null;
        var after = time.GetUtcNow().UtcDateTime;
        while (!stop.IsCancellationRequested)
        {
            if (schedule.Expression.GetNextOccurrence(after, schedule.Zone) is not { } next)
            {
                return; // a schedule with no future occurrence
            }

            try
            {
                var wait = next - time.GetUtcNow().UtcDateTime;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, time, stop);
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            after = next;
            if (firing is { IsCompleted: false })
            {
                Skipped(logger, schedule.Plugin.Plugin, schedule.Spec.Path, next);
                continue;
            }

            Interlocked.Increment(ref _fired);
            firing = FireAsync(schedule, next, stop);
        }
    }

    private async Task FireAsync(Schedule schedule, DateTime occurrence, CancellationToken stop)
    {
        var (plugin, spec) = (schedule.Plugin.Plugin, schedule.Spec);
        try
        {
            var answer = spec.Function is { } function
                ? await target.CallAsync(plugin, function, Encoding.UTF8.GetBytes(spec.ArgumentsJson), stop)
                : await target.StartJobAsync(JobBody(plugin, spec.Job!), stop);
            if (answer.Succeeded)
            {
                FiredOk(logger, plugin, spec.Path, occurrence, answer.Status);
            }
            else
            {
                FiredFailed(logger, plugin, spec.Path, occurrence, answer.Status, Encoding.UTF8.GetString(answer.Body.AsSpan(0, Math.Min(answer.Body.Length, 300))));
            }
        }
        catch (Exception ex) when (!stop.IsCancellationRequested)
        {
            FiredFailed(logger, plugin, spec.Path, occurrence, 0, ex.Message);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static byte[] JobBody(string plugin, CronJobSpec job) => JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["plugin"] = plugin,
        ["args"] = job.Args.ToArray(),
        ["env"] = job.Env.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal),
        ["stdin"] = job.Stdin,
    });

    public async ValueTask DisposeAsync()
    {
        List<Schedule> schedules;
        lock (_lock)
        {
            schedules = [.. _running.Values];
            _running.Clear();
        }

        foreach (var schedule in schedules)
        {
            await schedule.Stop.CancelAsync();
            if (schedule.Loop is { } loop)
            {
                await loop.ContinueWith(_ => { }, TaskScheduler.Default);
            }

            schedule.Stop.Dispose();
        }
    }

    private sealed record Schedule(PluginTriggers Plugin, CronTriggerSpec Spec, CronExpression Expression, CancellationTokenSource Stop)
    {
        public Task? Loop { get; set; }

        /// <summary>The zone the schedule is read in (docs/manifest.md, "Triggers": what DST changes do).</summary>
        public TimeZoneInfo Zone { get; } = Spec.TimeZone is { } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : TimeZoneInfo.Utc;
    }

    [LoggerMessage(EventId = 9100, EventName = "CronTriggerScheduled", Level = LogLevel.Information,
        Message = "Cron trigger {Trigger} of {Plugin} scheduled: '{Schedule}' ({Zone})")]
    private static partial void Scheduled(ILogger logger, string plugin, string trigger, string schedule, string zone);

    [LoggerMessage(EventId = 9101, EventName = "CronTriggerFired", Level = LogLevel.Debug,
        Message = "Cron trigger {Trigger} of {Plugin} fired for {Occurrence:O}: {Status}")]
    private static partial void FiredOk(ILogger logger, string plugin, string trigger, DateTime occurrence, int status);

    [LoggerMessage(EventId = 9102, EventName = "CronTriggerFailed", Level = LogLevel.Warning,
        Message = "Cron trigger {Trigger} of {Plugin} fired for {Occurrence:O} and failed ({Status}): {Reason}")]
    private static partial void FiredFailed(ILogger logger, string plugin, string trigger, DateTime occurrence, int status, string reason);

    [LoggerMessage(EventId = 9103, EventName = "CronTriggerSkipped", Level = LogLevel.Warning,
        Message = "Cron trigger {Trigger} of {Plugin}: the occurrence {Occurrence:O} was skipped, the previous firing still runs")]
    private static partial void Skipped(ILogger logger, string plugin, string trigger, DateTime occurrence);
}
