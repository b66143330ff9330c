using Wafer.Protocol.Manifest;
using Wafer.Wasm.Engines;
using Wafer.Wasm.Imports;
using Wafer.Wasm.Loading;
using Wafer.Wasm.Wasi;
using Wasmtime;

namespace Wafer.Wasm.Invocation;

/// <summary>
/// One store with one instance of a module: the unit a call runs in. Owns its store; disposing it returns the
/// pooling allocator slot. Not thread-safe: one call at a time.
/// </summary>
internal sealed class GuestInstance : IDisposable
{
    private readonly Store _store;
    private readonly bool _fuel;
    private Func<int, int>? _alloc;
    private Func<int, int, int, int>? _invoke;
    private FunctionOutput? _output;

    public GuestInstance(WasmEngine engine, long memoryCap)
    {
        State = new CallState();
        _fuel = engine.Fuel;
        _store = new Store(engine.Engine, State);
        _store.SetLimits(memorySize: memoryCap);
    }

    public CallState State { get; }

    public bool IsInstantiated => _invoke is not null;

    /// <summary>Starts a call: fresh per-call state, the wall-clock deadline and the fuel budget.</summary>
    public void Begin(IGuestCallContext context, ulong deadlineTicks, PluginLimits limits)
    {
        State.Begin(context);
        _store.SetEpochDeadline(deadlineTicks);
        if (_fuel)
        {
            _store.Fuel = (ulong)Math.Max(0, limits.Fuel ?? 0);
        }
    }

    /// <summary>Instantiates the module (running its start function), then its <c>_initialize</c> export if any.</summary>
    public void Instantiate(Linker linker, Module module, ModuleShape shape)
    {
        if (shape.UsesWasi)
        {
            _output = new FunctionOutput();
            _store.SetWasiConfiguration(WasiSupport.ForFunctionCall(_output));
        }

        var instance = linker.Instantiate(_store, module);
        State.Memory = instance.GetMemory("memory");
        if (shape.HasInitialize)
        {
            instance.GetAction("_initialize")!.Invoke();
        }

        _alloc = instance.GetFunction<int, int>("wafer_alloc")!;
        _invoke = instance.GetFunction<int, int, int, int>("wafer_invoke")!;
    }

    /// <summary>Copies the arguments into guest memory and runs <c>wafer_invoke</c>; traps surface as exceptions.</summary>
    public int Call(int function, ReadOnlySpan<byte> argsJson)
    {
        try
        {
            return CallCore(function, argsJson);
        }
        finally
        {
            _output?.Flush(State.Context);
        }
    }

    private int CallCore(int function, ReadOnlySpan<byte> argsJson)
    {
        var ptr = _alloc!(argsJson.Length);
        var memory = State.Memory!;
        var start = (long)(uint)ptr;
        var size = memory.GetLength();
        if (start + argsJson.Length > size)
        {
            throw State.Fail(InvocationStatus.Trap,
                $"wafer_alloc returned pointer {start}, but {argsJson.Length} bytes from there are outside guest memory ({size} bytes)");
        }

        if (!argsJson.IsEmpty)
        {
            argsJson.CopyTo(memory.GetSpan(start, argsJson.Length));
        }

        return _invoke!(function, ptr, argsJson.Length);
    }

    /// <summary>The guest's memory size now, or -1 when there is no instance to ask.</summary>
    public long MemoryBytes()
    {
        try
        {
            return State.Memory?.GetLength() ?? -1;
        }
        catch (WasmtimeException)
        {
            return -1;
        }
    }

    public void Dispose() => _store.Dispose();
}
