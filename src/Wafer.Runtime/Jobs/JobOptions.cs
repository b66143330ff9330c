using Wafer.Wasm.Wasi;

namespace Wafer.Runtime.Jobs;

/// <summary>Settings of the job runner (<c>POST /jobs</c>); the defaults suit one runtime process.</summary>
public sealed class JobOptions
{
    /// <summary>Jobs that run at once; more wait in a queue. Default: the number of processors.</summary>
    public int MaxConcurrent { get; set; } = Environment.ProcessorCount;

    /// <summary>Jobs that may wait for a slot; beyond it <c>POST /jobs</c> answers 503.</summary>
    public int MaxQueued { get; set; } = 1000;

    /// <summary>Bytes of stdout and of stderr kept per job (each); the rest is dropped and the job marked truncated.</summary>
    public int OutputLimitBytes { get; set; } = CommandInput.DefaultOutputLimitBytes;

    /// <summary>Problems with these settings, each naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (MaxConcurrent is < 1 or > 1000)
        {
            errors.Add($"Jobs:MaxConcurrent (--maxConcurrentJobs) must be between 1 and 1000, got {MaxConcurrent}");
        }

        if (MaxQueued is < 0 or > 1_000_000)
        {
            errors.Add($"Jobs:MaxQueued (--maxQueuedJobs) must be between 0 and 1000000, got {MaxQueued}");
        }

        if (OutputLimitBytes is < 1024 or > 64 * 1024 * 1024)
        {
            errors.Add($"Jobs:OutputLimitBytes (--jobOutputBytes) must be between 1024 and 67108864, got {OutputLimitBytes}");
        }

        return errors;
    }
}
