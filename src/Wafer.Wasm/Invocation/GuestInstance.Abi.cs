using System.Text;
using Wafer.Protocol.Calls;
using Wafer.Wasm.Abi;
using Wafer.Wasm.Native;

namespace Wafer.Wasm.Invocation;

/// <summary>The instance as an adapter's <see cref="IGuestSession"/>: its memory and the adapter's exports.</summary>
internal sealed unsafe partial class GuestInstance : IGuestSession
{
    private readonly IModuleAbi? _abi;
    private RawFunc[] _abiExports = [];
    private bool[] _abiPresent = [];

    IGuestCallContext IGuestSession.Context => State.Context ?? throw new InvalidOperationException("no call is in progress");

    object? IGuestSession.State
    {
        get => State.AbiState;
        set => State.AbiState = value;
    }

    public long MemorySize => (long)WasmtimeNative.wasmtime_memory_data_size(_context, _memory);

    /// <summary>Runs an adapted module's function through its adapter, flushing what the guest wrote to stdout/stderr.</summary>
    public CallOutcome InvokeAbi(int function, ReadOnlySpan<byte> argumentsJson)
    {
        try
        {
            return _abi!.Invoke(function, argumentsJson, this);
        }
        finally
        {
            _output?.Flush(State.Context);
        }
    }

    public ReadOnlySpan<byte> Read(uint address, int length) => Range(address, length, "read");

    public Span<byte> Write(uint address, int length) => Range(address, length, "write");

    public bool Has(int export) => _abiPresent[export];

    public void Call(int export, Span<WasmValue> argumentsAndResults)
    {
        if (!_abiPresent[export])
        {
            throw State.Fail(CallStatus.Trap, $"the module does not export '{_abi!.Exports[export].Name}'");
        }

        var count = argumentsAndResults.Length;
        var values = stackalloc RawValue[Math.Max(1, count)];
        for (var i = 0; i < count; i++)
        {
            values[i].I64 = (long)argumentsAndResults[i].Bits;
        }

        CallExport(_abiExports[export], values, count);
        var signature = _abi!.Exports[export];
        for (var i = 0; i < signature.Results.Count && i < count; i++)
        {
            argumentsAndResults[i].Bits = signature.Results[i] is WasmValueType.I32 or WasmValueType.F32
                ? (uint)values[i].I32
                : (ulong)values[i].I64;
        }
    }

    public Exception Fail(CallStatus status, string message) => State.Fail(status, message);

    private Span<byte> Range(uint address, int length, string what)
    {
        var size = (long)WasmtimeNative.wasmtime_memory_data_size(_context, _memory);
        if (length < 0 || address + (long)length > size)
        {
            throw State.Fail(CallStatus.Trap,
                $"the host tried to {what} [{address}, {address + (long)length}) outside guest memory ({size} bytes)");
        }

        return length == 0 ? [] : new Span<byte>(WasmtimeNative.wasmtime_memory_data(_context, _memory) + address, length);
    }

    private void ResolveAbiExports(RawInstance instance)
    {
        var exports = _abi!.Exports;
        _abiExports = new RawFunc[exports.Count];
        _abiPresent = new bool[exports.Count];
        for (var i = 0; i < exports.Count; i++)
        {
            var name = Encoding.UTF8.GetBytes(exports[i].Name);
            bool found;
            RawExtern item;
            fixed (byte* bytes = name)
            {
                found = WasmtimeNative.wasmtime_instance_export_get(_context, instance, bytes, (nuint)name.Length, out item);
            }

            _abiPresent[i] = found && item.Kind == RawExtern.FuncKind;
            _abiExports[i] = _abiPresent[i] ? item.Func : default;
        }
    }
}
