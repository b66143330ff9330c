using Wafer.Protocol.Calls;
using Wafer.Protocol.Manifest;
using Wafer.Wasm.Engines;
using Wafer.Wasm.Imports;
using Wafer.Wasm.Loading;
using Wafer.Wasm.Native;
using Wafer.Wasm.Wasi;
using Wasmtime;

namespace Wafer.Wasm.Invocation;

/// <summary>
/// One store with one instance of a module: the unit a call runs in. Owns its store; disposing it returns the
/// pooling allocator slot. Not thread-safe: one call at a time. The exports are called through the C API
/// directly (<see cref="WasmtimeNative"/>): no wrapper objects per instance.
/// </summary>
internal sealed unsafe partial class GuestInstance : IDisposable
{
    private readonly Store _store;
    private readonly nint _context;
    private readonly bool _fuel;
    private RawMemory _memory;
    private RawFunc _alloc;
    private RawFunc _invoke;
    private bool _hasMemory;
    private FunctionOutput? _output;

    public GuestInstance(WasmEngine engine, long memoryCap, TextLimits limits, Abi.IModuleAbi? abi = null)
    {
        _abi = abi;
        State = new CallState(limits) { Abi = abi, Session = abi is null ? null : this };
        _fuel = engine.Fuel;
        _store = new Store(engine.Engine, State);
        _store.SetLimits(memorySize: memoryCap);
        _context = WrapperAccess.Context(_store);
    }

    public CallState State { get; }

    public bool IsInstantiated { get; private set; }

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
    public void Instantiate(PreparedModule module, ModuleShape shape)
    {
        if (shape.UsesWasi)
        {
            // Function plugins that import WASI (wasi-libc, Rust std) get no files; stdout/stderr become log lines.
            // An adapted module's environment is its adapter's (per call, since instances are fresh by default).
            _output = new FunctionOutput(State.Limits.LineBytes);
            _store.SetWasiConfiguration(WasiSupport.ForFunctionCall(_output, _abi?.Environment(State.Context!)));
        }

        var instance = module.Instantiate(_context);
        _memory = Export(instance, "memory"u8, RawExtern.MemoryKind).Memory;
        _hasMemory = true;
        State.Memory = LinearMemory.Raw(_context, _memory);
        if (shape.HasInitialize)
        {
            RawValue none = default;
            CallExport(Export(instance, "_initialize"u8, RawExtern.FuncKind).Func, &none, 0);
        }

        if (_abi is not null)
        {
            ResolveAbiExports(instance);
        }
        else
        {
            _alloc = Export(instance, "wafer_alloc"u8, RawExtern.FuncKind).Func;
            _invoke = Export(instance, "wafer_invoke"u8, RawExtern.FuncKind).Func;
        }

        IsInstantiated = true;
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
        var values = stackalloc RawValue[3];
        values[0].I32 = argsJson.Length;
        CallExport(_alloc, values, 1);
        var ptr = values[0].I32;

        var start = (long)(uint)ptr;
        var size = (long)WasmtimeNative.wasmtime_memory_data_size(_context, _memory);
        if (start + argsJson.Length > size)
        {
            throw State.Fail(CallStatus.Trap,
                $"wafer_alloc returned pointer {start}, but {argsJson.Length} bytes from there are outside guest memory ({size} bytes)");
        }

        if (!argsJson.IsEmpty)
        {
            // Read the base after wafer_alloc: growing memory may move it.
            argsJson.CopyTo(new Span<byte>(WasmtimeNative.wasmtime_memory_data(_context, _memory) + start, argsJson.Length));
        }

        values[0].I32 = function;
        values[1].I32 = ptr;
        values[2].I32 = argsJson.Length;
        CallExport(_invoke, values, 3);
        GC.KeepAlive(_store);
        return values[0].I32;
    }

    /// <summary>The guest's memory size now, or -1 when there is no instance to ask.</summary>
    public long MemoryBytes()
    {
        if (_hasMemory)
        {
            return (long)WasmtimeNative.wasmtime_memory_data_size(_context, _memory);
        }

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

    private RawExtern Export(RawInstance instance, ReadOnlySpan<byte> name, byte kind)
    {
        bool found;
        RawExtern item;
        fixed (byte* bytes = name)
        {
            found = WasmtimeNative.wasmtime_instance_export_get(_context, instance, bytes, (nuint)name.Length, out item);
        }

        // ModuleValidator checked every export the host uses, so a miss is a host bug, not a guest failure.
        return found && item.Kind == kind
            ? item
            : throw new InvalidOperationException($"export '{System.Text.Encoding.UTF8.GetString(name)}' is missing or of another kind");
    }

    private void CallExport(in RawFunc func, RawValue* values, int count)
    {
        var error = WasmtimeNative.wasmtime_func_call_unchecked(_context, func, values, (nuint)count, out var trap);
        GC.KeepAlive(_store);
        WrapperAccess.ThrowIfFailed(error, trap);
    }
}
