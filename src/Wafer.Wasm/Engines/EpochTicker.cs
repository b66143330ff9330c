using System.Diagnostics;

namespace Wafer.Wasm.Engines;

/// <summary>
/// A dedicated background thread that advances the epoch of the engines every tick. It is not a thread-pool
/// timer on purpose: guest calls run synchronously on pool threads, and a starved pool must not delay timeouts.
/// </summary>
internal sealed class EpochTicker : IDisposable
{
    private readonly int _tickMs;
    private readonly Func<WasmEngine?> _fuelEngine;
    private readonly WasmEngine _engine;
    private readonly Thread _thread;
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _epoch; // ticks added so far; written by the ticker thread only
    // No spinning before each 5 ms sleep: on a busy machine the spin's yields cost more than the tick itself.
    private readonly ManualResetEventSlim _stop = new(false, spinCount: 0);

    public EpochTicker(WasmEngine engine, Func<WasmEngine?> fuelEngine, int tickMs)
    {
        _engine = engine;
        _fuelEngine = fuelEngine;
        _tickMs = tickMs;
        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = "wafer-epoch",
            Priority = ThreadPriority.AboveNormal,
        };
        _thread.Start();
    }

    /// <summary>Ticks a deadline of <paramref name="timeoutMs"/> needs: rounded up, plus one for the partial current tick.</summary>
    public static ulong TicksFor(int timeoutMs, int tickMs) => (ulong)((timeoutMs + tickMs - 1) / tickMs) + 1;

    /// <summary>
    /// Ticks the clock is ahead of the epoch now: how late the ticker thread is. A deadline set now is set this much
    /// further out, so it counts from now even while the ticker catches up.
    /// </summary>
    public ulong Lag => (ulong)Math.Max(0, ClockTicks() - Volatile.Read(ref _epoch));

    private long ClockTicks() => (long)(Stopwatch.GetElapsedTime(_started).TotalMilliseconds / _tickMs);

    /// <summary>
    /// The epoch follows the clock: each wake-up adds the ticks that passed, not one per wake-up, so a ticker thread
    /// that gets the CPU late (every core busy with guests) does not stretch deadlines by its delays. Deadlines set
    /// while it lags add <see cref="Lag"/>, so a catch-up never fires one early.
    /// </summary>
    private void Run()
    {
        while (!_stop.Wait(_tickMs))
        {
            for (var now = ClockTicks(); _epoch < now; Volatile.Write(ref _epoch, _epoch + 1))
            {
                _engine.Engine.IncrementEpoch();
                _fuelEngine()?.Engine.IncrementEpoch();
            }
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
