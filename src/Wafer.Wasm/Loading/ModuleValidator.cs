using Wafer.Protocol.Manifest;
using Wafer.Wasm.Imports;
using Wafer.Wasm.Wasi;
using Wasmtime;

namespace Wafer.Wasm.Loading;

/// <summary>
/// Checks a compiled module against docs/abi.md §2-3: the three exports with their signatures, and imports
/// drawn only from the host's list. Failures throw <see cref="WasmLoadException"/> naming the problem.
/// </summary>
internal static class ModuleValidator
{
    private const long PageBytes = 65536;

    public static ModuleShape Validate(Module module, PluginLimits limits)
    {
        var usesWasi = CheckImports(module);

        MemoryExport? memory = null;
        FunctionExport? alloc = null;
        FunctionExport? invoke = null;
        FunctionExport? initialize = null;
        foreach (var export in module.Exports)
        {
            switch (export.Name)
            {
                case "memory":
                    memory = export as MemoryExport
                        ?? throw new WasmLoadException("export 'memory' must be a memory");
                    break;
                case "wafer_alloc":
                    alloc = Function(export);
                    break;
                case "wafer_invoke":
                    invoke = Function(export);
                    break;
                case "_initialize":
                    initialize = Function(export);
                    break;
            }
        }

        if (memory is null)
        {
            throw new WasmLoadException("missing export 'memory'");
        }

        if (memory.Is64Bit)
        {
            throw new WasmLoadException("export 'memory' is a 64-bit memory; the ABI needs a 32-bit memory");
        }

        CheckSignature(alloc, "wafer_alloc", [ValueKind.Int32], [ValueKind.Int32]);
        CheckSignature(invoke, "wafer_invoke", [ValueKind.Int32, ValueKind.Int32, ValueKind.Int32], [ValueKind.Int32]);
        if (initialize is not null)
        {
            CheckSignature(initialize, "_initialize", [], []);
        }

        var initialBytes = memory.Minimum * PageBytes;
        if (initialBytes > limits.MemoryBytes)
        {
            throw new WasmLoadException(
                $"the module's initial memory ({initialBytes / (1024 * 1024.0):0.#} MiB) exceeds its memory cap ({limits.MemoryMb} MiB)");
        }

        return new ModuleShape(initialize is not null, initialBytes, usesWasi);
    }

    /// <summary>Checks every import; returns whether the module imports WASI (its stores then need a WASI context).</summary>
    private static bool CheckImports(Module module)
    {
        List<string>? unsupported = null;
        var usesWasi = false;
        foreach (var import in module.Imports)
        {
            var wasi = WasiImports.Find(import.ModuleName, import.Name);
            usesWasi |= wasi is not null;
            var known = ImportCatalog.Find(import.ModuleName, import.Name) ?? wasi;
            if (known is null || import is not FunctionImport function)
            {
                (unsupported ??= []).Add($"'{import.ModuleName}.{import.Name}'");
                continue;
            }

            if (!function.Parameters.SequenceEqual(known.Parameters) || !function.Results.SequenceEqual(known.Results))
            {
                throw new WasmLoadException(
                    $"import '{import.ModuleName}.{import.Name}' has signature {HostImport.Describe(function.Parameters, function.Results)}, " +
                    $"but the host provides {known.Signature}");
            }
        }

        if (unsupported is not null)
        {
            throw new WasmLoadException(unsupported.Count == 1
                ? $"unsupported import {unsupported[0]}"
                : $"unsupported imports {string.Join(", ", unsupported)}");
        }

        return usesWasi;
    }

    private static FunctionExport Function(Export export) =>
        export as FunctionExport ?? throw new WasmLoadException($"export '{export.Name}' must be a function");

    private static void CheckSignature(FunctionExport? export, string name, ValueKind[] parameters, ValueKind[] results)
    {
        if (export is null)
        {
            throw new WasmLoadException($"missing export '{name}'");
        }

        if (!export.Parameters.SequenceEqual(parameters) || !export.Results.SequenceEqual(results))
        {
            throw new WasmLoadException(
                $"export '{name}' has signature {HostImport.Describe(export.Parameters, export.Results)}, " +
                $"expected {HostImport.Describe(parameters, results)}");
        }
    }
}
