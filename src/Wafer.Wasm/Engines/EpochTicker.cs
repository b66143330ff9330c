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
    /// One increment per wake-up, never a catch-up burst: a deadline counts wake-ups that are each at least one
    /// tick apart, so a late wake-up can stretch a timeout slightly but never fire it early.
    /// </summary>
    private void Run()
    {
        while (!_stop.Wait(_tickMs))
        {
            _engine.Engine.IncrementEpoch();
            _fuelEngine()?.Engine.IncrementEpoch();
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
