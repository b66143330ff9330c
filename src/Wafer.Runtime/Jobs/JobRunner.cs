using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Storage;
using Wafer.Wasm.Wasi;

namespace Wafer.Runtime.Jobs;

/// <summary>
/// Runs jobs (<c>POST /jobs</c>) on background threads, at most <see cref="JobOptions.MaxConcurrent"/> at once
/// (the rest queue), each in a fresh WASI sandbox with its plugin's limits. Every state change is saved in the
/// job store; at start, jobs a previous process left running are marked failed. On shutdown running guests are
/// stopped and their jobs saved as failed.
/// </summary>
public sealed partial class JobRunner : IHostedService, IDisposable
{
    private readonly IJobStore _store;
    private readonly JobOptions _options;
    private readonly ILogger<JobRunner> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, Task> _active = new(StringComparer.Ordinal);
    private int _queued;

    public JobRunner(IJobStore store, IOptions<JobOptions> options, ILogger<JobRunner> logger)
    {
        _store = store;
        _options = options.Value;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.MaxConcurrent, _options.MaxConcurrent);
    }

    /// <summary>Marks jobs a previous process left running as failed; a store that is down does not stop the runtime.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var interrupted = await _store.FailInterruptedAsync(cancellationToken);
            if (interrupted > 0)
            {
                JobsInterrupted(_logger, interrupted);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            JobStoreUnavailable(_logger, ex);
        }
    }

    /// <summary>
    /// Accepts a job for <paramref name="plugin"/>, on which the caller holds a lease that this runner now owns and
    /// releases when the job ends. Returns the saved record (state running), or null when the queue is full or the
    /// runtime is stopping (the lease is released then).
    /// </summary>
    /// <param name="stop">Stops this job's guest (a program module deleted), beside the runtime's own shutdown.</param>
    /// <param name="finished">Told the job's final record, however it ended.</param>
    public async Task<JobRecord?> SubmitAsync(
        LoadedPlugin plugin, JobRequest request, CancellationToken cancellationToken, CancellationToken stop = default, Action<JobRecord>? finished = null)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(request);
        if (plugin.Command is null)
        {
            plugin.Release();
            throw new ArgumentException($"plugin '{plugin.Name}' is not a command plugin", nameof(plugin));
        }

        if (_stopping.IsCancellationRequested)
        {
            plugin.Release();
            return null;
        }

        if (Interlocked.Increment(ref _queued) > _options.MaxQueued + _options.MaxConcurrent)
        {
            Interlocked.Decrement(ref _queued);
            plugin.Release();
            return null;
        }

        var job = new JobRecord(Guid.CreateVersion7().ToString("N"), plugin.Name, JobRecord.Running, request.Args, request.Env,
            null, "", "", false, false, null, DateTimeOffset.UtcNow, null);
        try
        {
            await _store.SaveAsync(job, cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _queued);
            plugin.Release();
            throw;
        }

        var run = new TaskCompletionSource();
        _active[job.Id] = run.Task;
        _ = Task.Run(async () =>
        {
            try
            {
                using var run = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, stop);
                var final = await RunAsync(plugin, job, request, run.Token);
                finished?.Invoke(final);
            }
            finally
            {
                Interlocked.Decrement(ref _queued);
                plugin.Release();
                _active.TryRemove(job.Id, out _);
                run.SetResult();
            }
        }, CancellationToken.None);
        JobAccepted(_logger, job.Id, plugin.Name);
        return job;
    }

    private async Task<JobRecord> RunAsync(LoadedPlugin plugin, JobRecord job, JobRequest request, CancellationToken stop)
    {
        try
        {
            await _slots.WaitAsync(stop);
        }
        catch (OperationCanceledException)
        {
            var interrupted = job with { State = JobRecord.Failed, Error = "interrupted: the runtime shut down before the job started", DurationMs = 0 };
            await SaveFinalAsync(interrupted);
            return interrupted;
        }

        try
        {
            var started = job with { StartedAt = DateTimeOffset.UtcNow };
            await SaveFinalAsync(started);
            var input = new CommandInput
            {
                Args = [plugin.Name, .. request.Args],
                Env = [.. request.Env],
                Stdin = request.StdinBytes(),
                FolderPath = plugin.FolderPath,
                FolderReadOnly = plugin.Manifest.Files?.ReadOnly ?? false,
                StdoutLimitBytes = _options.OutputLimitBytes,
                StderrLimitBytes = _options.OutputLimitBytes,
                Channels = request.Channels,
                StdoutObserver = request.StdoutObserver,
                StderrObserver = request.StderrObserver,
            };
            var clock = Stopwatch.StartNew();
            CommandResult result;
            try
            {
                result = await Task.Factory.StartNew(
                    () => plugin.Command!.Run(input, stop),
                    CancellationToken.None,
                    TaskCreationOptions.LongRunning,
                    TaskScheduler.Default);
            }
            catch (Exception ex)
            {
                // Not a guest failure: the host could not set the run up (e.g. the stdin file).
                JobCrashed(_logger, job.Id, plugin.Name, ex);
                var crashed = started with
                {
                    State = JobRecord.Failed, Error = $"the runtime could not run the job: {ex.Message}", DurationMs = clock.Elapsed.TotalMilliseconds,
                };
                await SaveFinalAsync(crashed);
                return crashed;
            }

            var finished = Complete(started, result);
            await SaveFinalAsync(finished);
            JobFinished(_logger, job.Id, plugin.Name, finished.State, finished.ExitCode, finished.DurationMs ?? 0);
            return finished;
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>The final record of a run: its state, exit code, output and why it failed.</summary>
    public static JobRecord Complete(JobRecord job, CommandResult result)
    {
        var (state, error) = result.Status switch
        {
            CommandStatus.Exited => (JobRecord.Exited, (string?)null),
            CommandStatus.Timeout => (JobRecord.TimedOut, result.Message),
            CommandStatus.OutOfMemory => (JobRecord.Failed, "out_of_memory: " + result.Message),
            CommandStatus.OutOfFuel => (JobRecord.Failed, "out_of_fuel: " + result.Message),
            CommandStatus.Cancelled => (JobRecord.Failed, "interrupted: the runtime shut down while the job ran"),
            _ => (JobRecord.Failed, "trap: " + result.Message),
        };
        return job with
        {
            State = state,
            ExitCode = result.ExitCode,
            Stdout = Utf8Text.Decode(result.Stdout, result.StdoutTruncated),
            Stderr = Utf8Text.Decode(result.Stderr, result.StderrTruncated),
            StdoutTruncated = result.StdoutTruncated,
            StderrTruncated = result.StderrTruncated,
            Error = error,
            DurationMs = Math.Round(result.Duration.TotalMilliseconds, 3),
        };
    }

    /// <summary>Saves a state change; the store being down is logged, never thrown into the background task.</summary>
    private async Task SaveFinalAsync(JobRecord job)
    {
        try
        {
            await _store.SaveAsync(job, CancellationToken.None);
        }
        catch (Exception ex)
        {
            JobSaveFailed(_logger, job.Id, job.State, ex);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        var active = _active.Values.ToArray();
        if (active.Length > 0)
        {
            await Task.WhenAll(active).WaitAsync(cancellationToken);
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _slots.Dispose();
    }

    [LoggerMessage(EventId = 2600, EventName = "JobAccepted", Level = LogLevel.Debug, Message = "Accepted job {JobId} for plugin {Plugin}")]
    private static partial void JobAccepted(ILogger logger, string jobId, string plugin);

    [LoggerMessage(EventId = 2601, EventName = "JobFinished", Level = LogLevel.Information,
        Message = "Job {JobId} of plugin {Plugin} ended {State} (exit code {ExitCode}) in {DurationMs:F1} ms")]
    private static partial void JobFinished(ILogger logger, string jobId, string plugin, string state, int? exitCode, double durationMs);

    [LoggerMessage(EventId = 2602, EventName = "JobSaveFailed", Level = LogLevel.Error,
        Message = "Could not save job {JobId} (state {State}) to the job store")]
    private static partial void JobSaveFailed(ILogger logger, string jobId, string state, Exception exception);

    [LoggerMessage(EventId = 2603, EventName = "JobsInterrupted", Level = LogLevel.Warning,
        Message = "Marked {Count} jobs left running by a previous process as failed")]
    private static partial void JobsInterrupted(ILogger logger, int count);

    [LoggerMessage(EventId = 2605, EventName = "JobStoreUnavailable", Level = LogLevel.Error,
        Message = "Could not mark interrupted jobs as failed: the job store is unavailable")]
    private static partial void JobStoreUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2604, EventName = "JobCrashed", Level = LogLevel.Error,
        Message = "The runtime could not run job {JobId} of plugin {Plugin}")]
    private static partial void JobCrashed(ILogger logger, string jobId, string plugin, Exception exception);
}
