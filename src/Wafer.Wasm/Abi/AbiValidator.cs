using Wafer.Protocol.Manifest;
using Wafer.Wasm.Loading;
using Wafer.Wasm.Wasi;
using Wasmtime;

namespace Wafer.Wasm.Abi;

/// <summary>
/// Checks an adapted module: a 32-bit memory, the adapter's exports with their signatures, and every import
/// either WASI or bound by the adapter. Failures throw <see cref="WasmLoadException"/> naming each problem.
/// </summary>
internal static class AbiValidator
{
    private const long PageBytes = 65536;

    public static (ModuleShape Shape, IReadOnlyList<(AbiFunction Import, int Handler)> Imports) Validate(Module module, PluginLimits limits, IModuleAbi abi)
    {
        var (imports, usesWasi) = BindImports(module, abi);
        var memory = module.Exports.OfType<MemoryExport>().FirstOrDefault(e => e.Name == "memory")
            ?? throw new WasmLoadException("missing export 'memory'");
        if (memory.Is64Bit)
        {
            throw new WasmLoadException("export 'memory' is a 64-bit memory; a 32-bit memory is needed");
        }

        var functions = module.Exports.OfType<FunctionExport>().ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var expected in abi.Exports)
        {
            if (!functions.TryGetValue(expected.Name, out var actual))
            {
                if (!expected.Optional)
                {
                    throw new WasmLoadException($"missing export '{expected.Name}' {expected.Signature}");
                }

                continue;
            }

            var parameters = actual.Parameters.Select(Kind).ToArray();
            var results = actual.Results.Select(Kind).ToArray();
            if (!parameters.SequenceEqual(expected.Parameters) || !results.SequenceEqual(expected.Results))
            {
                throw new WasmLoadException(
                    $"export '{expected.Name}' has signature {AbiFunction.Describe(parameters, results)}, expected {expected.Signature}");
            }
        }

        var hasInitialize = functions.TryGetValue("_initialize", out var initialize);
        if (hasInitialize && (initialize!.Parameters.Count != 0 || initialize.Results.Count != 0))
        {
            throw new WasmLoadException("export '_initialize' must take and return nothing");
        }

        var initialBytes = memory.Minimum * PageBytes;
        if (initialBytes > limits.MemoryBytes)
        {
            throw new WasmLoadException(
                $"the module's initial memory ({initialBytes / (1024 * 1024.0):0.#} MiB) exceeds its memory cap ({limits.MemoryMb} MiB)");
        }

        return (new ModuleShape(hasInitialize, initialBytes, usesWasi), imports);
    }

    private static (List<(AbiFunction, int)> Bound, bool UsesWasi) BindImports(Module module, IModuleAbi abi)
    {
        var bound = new List<(AbiFunction, int)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var refused = new List<string>();
        var usesWasi = false;
        foreach (var import in module.Imports)
        {
            if (import is not FunctionImport function)
            {
                refused.Add($"'{import.ModuleName}.{import.Name}' (only function imports are provided)");
                continue;
            }

            var signature = new AbiFunction(import.ModuleName, import.Name, function.Parameters.Select(Kind).ToArray(), function.Results.Select(Kind).ToArray());
            if (WasiImports.Find(import.ModuleName, import.Name) is { } wasi)
            {
                usesWasi = true;
                if (!function.Parameters.SequenceEqual(wasi.Parameters) || !function.Results.SequenceEqual(wasi.Results))
                {
                    refused.Add($"'{signature.QualifiedName}' has signature {signature.Signature}, but WASI's is {wasi.Signature}");
                }

                continue;
            }

            // The same import may appear twice (debug AssemblyScript builds import logMessage twice): define it once.
            if (!seen.Add(signature.QualifiedName))
            {
                continue;
            }

            if (abi.Bind(signature, out var refusal) is { } handler)
            {
                bound.Add((signature, handler));
            }
            else
            {
                refused.Add($"'{signature.QualifiedName}'{(refusal is null ? "" : $" ({refusal})")}");
            }
        }

        if (refused.Count > 0)
        {
            throw new WasmLoadException(refused.Count == 1
                ? $"unsupported import {refused[0]}"
                : $"unsupported imports {string.Join(", ", refused)}");
        }

        return (bound, usesWasi);
    }

    private static WasmValueType Kind(ValueKind kind) => kind switch
    {
        ValueKind.Int32 => WasmValueType.I32,
        ValueKind.Int64 => WasmValueType.I64,
        ValueKind.Float32 => WasmValueType.F32,
        ValueKind.Float64 => WasmValueType.F64,
        _ => throw new WasmLoadException($"value type {kind} is not supported in an adapted module's imports and exports"),
    };
}
