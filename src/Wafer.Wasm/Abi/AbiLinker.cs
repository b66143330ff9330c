using Wafer.Protocol.Calls;
using Wafer.Wasm.Engines;
using Wafer.Wasm.Imports;
using Wasmtime;

namespace Wafer.Wasm.Abi;

/// <summary>
/// The linker of one adapted module: the engine's (WASI and Wafer's own imports) plus the adapter's imports,
/// each defined with the signature the module declares and routed to <see cref="IModuleAbi.HostCall"/>.
/// </summary>
internal static class AbiLinker
{
    public static Linker Create(WasmEngine engine, IReadOnlyList<(AbiFunction Import, int Handler)> imports, IModuleAbi abi)
    {
        var linker = engine.Linker.Clone();
        try
        {
            linker.AllowShadowing = true;
            foreach (var (import, handler) in imports)
            {
                var results = import.Results.ToArray();
                linker.DefineFunction(import.Module, import.Name,
                    (caller, arguments, output) => Dispatch(caller, abi, handler, import, results, arguments, output),
                    import.Parameters.Select(Kind).ToArray(), results.Select(Kind).ToArray());
            }

            linker.AllowShadowing = false;
            return linker;
        }
        catch
        {
            linker.Dispose();
            throw;
        }
    }

    private static void Dispatch(
        Caller caller, IModuleAbi abi, int handler, AbiFunction import, WasmValueType[] resultTypes, ReadOnlySpan<ValueBox> arguments, Span<ValueBox> output)
    {
        var state = HostImports.State(caller);
        if (state.Session is not { } session || state.Context is null)
        {
            throw state.Fail(CallStatus.Trap, $"{import.QualifiedName}: no call is in progress");
        }

        Span<WasmValue> values = stackalloc WasmValue[arguments.Length];
        for (var i = 0; i < arguments.Length; i++)
        {
            values[i] = import.Parameters[i] switch
            {
                WasmValueType.I32 => WasmValue.FromI32(arguments[i].AsInt32()),
                WasmValueType.I64 => WasmValue.FromI64(arguments[i].AsInt64()),
                WasmValueType.F32 => WasmValue.FromF32(arguments[i].AsSingle()),
                _ => WasmValue.FromF64(arguments[i].AsDouble()),
            };
        }

        Span<WasmValue> results = stackalloc WasmValue[resultTypes.Length];
        try
        {
            abi.HostCall(handler, session, values, results);
        }
        catch (Exception ex) when (state.FailureStatus is null)
        {
            throw state.Fail(CallStatus.Trap, $"{import.QualifiedName}: the host failed: {ex.Message}");
        }

        for (var i = 0; i < resultTypes.Length; i++)
        {
            output[i] = resultTypes[i] switch
            {
                WasmValueType.I32 => results[i].I32,
                WasmValueType.I64 => results[i].I64,
                WasmValueType.F32 => results[i].F32,
                _ => results[i].F64,
            };
        }
    }

    private static ValueKind Kind(WasmValueType type) => type switch
    {
        WasmValueType.I32 => ValueKind.Int32,
        WasmValueType.I64 => ValueKind.Int64,
        WasmValueType.F32 => ValueKind.Float32,
        _ => ValueKind.Float64,
    };
}
