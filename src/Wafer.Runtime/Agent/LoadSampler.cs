using System.Diagnostics;
using Wafer.Protocol.V1;
using Wafer.Runtime.Invocation;

namespace Wafer.Runtime.Agent;

/// <summary>
/// Measures the load a keepalive reports: calls in flight, calls per second and the process's CPU share since the
/// previous sample, and its working set.
/// </summary>
public sealed class LoadSampler(CallCounters counters)
{
    private readonly Lock _lock = new();
    private long _lastTimestamp = Stopwatch.GetTimestamp();
    private long _lastCompleted;
    private TimeSpan _lastCpu = CurrentCpu();

    public Load Sample()
    {
        using var process = Process.GetCurrentProcess();
        var now = Stopwatch.GetTimestamp();
        var completed = counters.Completed;
        var cpu = process.TotalProcessorTime;
        double seconds, calls, cpuSeconds;
        lock (_lock)
        {
            seconds = Stopwatch.GetElapsedTime(_lastTimestamp, now).TotalSeconds;
            calls = completed - _lastCompleted;
            cpuSeconds = (cpu - _lastCpu).TotalSeconds;
            _lastTimestamp = now;
            _lastCompleted = completed;
            _lastCpu = cpu;
        }

        var callsPerSec = seconds > 0 ? calls / seconds : 0;
        var cpuPercent = seconds > 0 ? Math.Clamp(cpuSeconds / (seconds * Environment.ProcessorCount) * 100, 0, 100) : 0;
        return new Load(counters.InFlight, Math.Round(callsPerSec, 2), Math.Round(cpuPercent, 1), Math.Round(process.WorkingSet64 / 1048576.0, 1));
    }

    /// <summary>What this machine offers: its cores, the memory available to the process, and the module limit.</summary>
    public static Capacity Capacity(int maxModules) =>
        new(Environment.ProcessorCount, (int)Math.Min(int.MaxValue, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1048576), maxModules);

    private static TimeSpan CurrentCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
