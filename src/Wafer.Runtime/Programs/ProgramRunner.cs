using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.V1;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Jobs;
using Wafer.Runtime.Programs.Channels;
using Wafer.Runtime.Programs.Output;
using Wafer.Runtime.Storage;

namespace Wafer.Runtime.Programs;

/// <summary>
/// Runs the program modules placed here (docs/silverline.md): each starts at once, through the <see cref="JobRunner"/>
/// (its WASI sandbox, limits, bounded output and concurrency), with its <c>argv</c> (after the module id as
/// <c>argv[0]</c>) and <c>env</c>; each run's end is reported, and its restart policy decides whether it runs again,
/// after a backoff that doubles from <see cref="FirstBackoff"/> to <see cref="MaxBackoff"/>. Deleting the module stops
/// its guest.
/// </summary>
public sealed partial class ProgramRunner(
    PluginCatalog catalog, JobRunner jobs, ChannelClient channels, ModuleOutputs outputs, IOptions<RuntimeOptions> options, ILogger<ProgramRunner> logger) : IDisposable
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>The state of a run stopped by the module's own <see cref="ProgramBody.WallClockSeconds"/>.</summary>
    public const string WallClockLimit = "wall_clock_limit";

    /// <summary>The state reported for a run the runtime's own stop interrupted, when the policy does not start it again.</summary>
    public const string Lost = "lost";

    /// <summary>The most bytes of each output stream an exit report carries (its end).</summary>
    public const int ReportedOutputChars = 16 * 1024;

    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    /// <summary>Starts <paramref name="moduleId"/>'s program (the loaded plugin <paramref name="plugin"/>); <paramref name="reports"/> hears each run's start and end.</summary>
    public void Start(string moduleId, string plugin, ProgramBody program, ProgramReports reports)
    {
        var stop = new CancellationTokenSource();
        if (_running.TryRemove(moduleId, out var previous))
        {
            previous.Cancel(); // placed again (a new version): the old run stops
        }

        _running[moduleId] = stop;
        _ = Task.Run(() => SuperviseAsync(moduleId, plugin, program, reports, stop));
    }

    /// <summary>Stops the module's program, if it runs here; no report follows.</summary>
    public void Stop(string moduleId)
    {
        outputs.Forget(moduleId);
        if (_running.TryRemove(moduleId, out var stop))
        {
            stop.Cancel();
            ProgramStopped(logger, moduleId);
        }
    }

    public void Dispose()
    {
        foreach (var stop in _running.Values)
        {
            stop.Cancel();
        }
    }

    private async Task SuperviseAsync(string moduleId, string plugin, ProgramBody program, ProgramReports reports, CancellationTokenSource stop)
    {
        var backoff = FirstBackoff;
        for (var run = 1; !stop.IsCancellationRequested; run++)
        {
            var final = await RunOnceAsync(moduleId, plugin, program, run, reports, stop.Token);
            if (stop.IsCancellationRequested)
            {
                return; // deleted or replaced: whoever stopped it reports
            }

            var failed = final.State != JobRecord.Exited || final.ExitCode != 0;
            var restarting = program.Restart == RestartPolicy.Always || (program.Restart == RestartPolicy.OnFailure && failed);

            // A run that lasted a while was healthy: start over from the first backoff.
            backoff = final.DurationMs is { } ms && ms > MaxBackoff.TotalMilliseconds ? FirstBackoff : backoff;
            DateTimeOffset? restartAt = restarting ? DateTimeOffset.UtcNow + backoff : null;
            ProgramExited(logger, moduleId, run, final.State, final.ExitCode, final.Error ?? "", restarting);
            await ReportAsync(moduleId, () => reports.Exited(new ModuleExitedBody(
                moduleId, final.ExitCode, final.State, final.Error, Tail(final.Stdout), Tail(final.Stderr), run, restarting, restartAt)));

            if (!restarting)
            {
                _running.TryRemove(new KeyValuePair<string, CancellationTokenSource>(moduleId, stop));
                return;
            }

            try
            {
                await Task.Delay(backoff, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private async Task ReportAsync(string moduleId, Func<Task> report)
    {
        try
        {
            await report();
        }
        catch (Exception ex)
        {
            ProgramReportFailed(logger, moduleId, ex.Message);
        }
    }

    private async Task<JobRecord> RunOnceAsync(string moduleId, string plugin, ProgramBody program, int run, ProgramReports reports, CancellationToken stop)
    {
        var failedToStart = new JobRecord("", plugin, JobRecord.Failed, [], new Dictionary<string, string>(), null, "", "", false, false, null, DateTimeOffset.UtcNow, null);
        if (!catalog.Current.PluginsByName.TryGetValue(plugin, out var loaded) || loaded.Type != PluginType.Command || !loaded.TryAcquire())
        {
            return failedToStart with { Error = $"the program '{plugin}' is not loaded as a command plugin here" };
        }

        var finished = new TaskCompletionSource<JobRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in program.Env)
        {
            var equals = entry.IndexOf('=', StringComparison.Ordinal);
            env[entry[..equals]] = entry[(equals + 1)..];
        }

        // The module's wall-clock limit stops the run as a delete would; the report says which it was.
        using var wallClock = CancellationTokenSource.CreateLinkedTokenSource(stop);
        if (program.WallClockSeconds is { } seconds)
        {
            wallClock.CancelAfter(TimeSpan.FromSeconds(seconds));
        }

        // JobRunner puts the plugin's name (the module's id) first in argv, as a shell puts the program's.
        JobRecord? job;
        BoundChannels? bound;
        try
        {
            bound = program.Channels.Count == 0 ? null : channels.Bind(moduleId, program.Channels);
        }
        catch (InvalidOperationException ex)
        {
            loaded.Release();
            return failedToStart with { Error = ex.Message };
        }

        ModuleOutput? output = null;
        var realm = options.Value.Agent.Realm;
        var stdout = channels.Output(moduleId, OutputTopics.Stdout(realm, moduleId)); // null without a broker
        var stderr = channels.Output(moduleId, OutputTopics.Stderr(realm, moduleId));
        JobRecord final;
        try
        {
            using var endReads = wallClock.Token.Register(() => bound?.EndReads()); // a stopped module's reads end (end of file)
            output = outputs.Begin(moduleId, run);
            var tail = output;
            var request = new JobRequest(plugin, program.Argv, env, "")
            {
                Channels = bound?.Channels ?? [],
                StdoutObserver = data =>
                {
                    tail.Stdout.Append(data);
                    stdout?.Write(data);
                },
                StderrObserver = data =>
                {
                    tail.Stderr.Append(data);
                    stderr?.Write(data);
                },
            };
            job = await jobs.SubmitAsync(loaded, request, CancellationToken.None, wallClock.Token, r => finished.TrySetResult(r));
            if (job is null)
            {
                return failedToStart with { Error = "the runtime's job queue is full or it is stopping" };
            }

            ProgramStarted(logger, moduleId, job.Id);
            await ReportAsync(moduleId, () => reports.Started(new ModuleStartedBody(moduleId, run)));
            final = await finished.Task;
        }
        catch (Exception ex)
        {
            return failedToStart with { Error = $"the runtime could not start the program: {ex.Message}" };
        }
        finally
        {
            bound?.Dispose();
            output?.Ended();
            stdout?.FlushPartialLine();
            stderr?.FlushPartialLine();
        }

        return wallClock.IsCancellationRequested && !stop.IsCancellationRequested && final.State != JobRecord.Exited
            ? final with { State = WallClockLimit, Error = $"stopped after {program.WallClockSeconds} s, the module's wallClockSeconds" }
            : final;
    }

    private static string Tail(string text) => text.Length <= ReportedOutputChars ? text : text[^ReportedOutputChars..];

    [LoggerMessage(EventId = 2780, EventName = "ProgramStarted", Level = LogLevel.Information, Message = "Program module {ModuleId} started (job {JobId})")]
    private static partial void ProgramStarted(ILogger logger, string moduleId, string jobId);

    [LoggerMessage(EventId = 2781, EventName = "ProgramExited", Level = LogLevel.Information,
        Message = "Program module {ModuleId} run {Run} ended {State} (exit code {ExitCode}) {Reason}; restarting: {Restarting}")]
    private static partial void ProgramExited(ILogger logger, string moduleId, int run, string state, int? exitCode, string reason, bool restarting);

    [LoggerMessage(EventId = 2782, EventName = "ProgramStopped", Level = LogLevel.Information, Message = "Program module {ModuleId} stopped")]
    private static partial void ProgramStopped(ILogger logger, string moduleId);

    [LoggerMessage(EventId = 2783, EventName = "ProgramReportFailed", Level = LogLevel.Warning,
        Message = "Could not report the end of program module {ModuleId}: {Reason}")]
    private static partial void ProgramReportFailed(ILogger logger, string moduleId, string reason);
}
