using System.Runtime;
using Microsoft.Extensions.Logging;
using Wafer.Wasm.Logging;

namespace Wafer.Wasm.Engines;

/// <summary>
/// Gives memory back to the system after a module is unloaded or refused: what compiling and serving it held (machine
/// code, metadata, the schema built from it) is garbage by then, but neither the managed heap nor the C heap returns
/// it by itself while the process is idle. Requests within <see cref="Delay"/> of each other make one pass: a full,
/// compacting collection, then a trim of the C heap. Unloading is rare; the pass costs milliseconds to a few hundred.
/// </summary>
internal sealed class MemoryReclaimer : IDisposable
{
    public static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    private readonly ILogger _logger;
    private readonly Timer _timer;
    private int _disposed;

    public MemoryReclaimer(ILogger logger)
    {
        _logger = logger;
        _timer = new Timer(_ => Reclaim(), null, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Asks for a pass <see cref="Delay"/> from now (a later request moves it).</summary>
    public void Request()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                _timer.Change(Delay, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private void Reclaim()
    {
        var before = Environment.WorkingSet;
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers(); // native handles released by finalizers free their memory now
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
        WasmLog.MemoryReclaimed(_logger, before / (1024 * 1024), Environment.WorkingSet / (1024 * 1024));
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _disposed, 1);
        _timer.Dispose();
    }
}
