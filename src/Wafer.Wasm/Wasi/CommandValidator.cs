using Wafer.Protocol.Manifest;
using Wafer.Wasm.Imports;
using Wasmtime;

namespace Wafer.Wasm.Wasi;

/// <summary>
/// Checks a compiled WASI command module: a 32-bit <c>memory</c> export, a <c>_start</c> export of type
/// <c>() -> ()</c>, and imports drawn only from WASI preview 1. Failures throw <see cref="WasmLoadException"/>.
/// </summary>
internal static class CommandValidator
{
    private const long PageBytes = 65536;

    public static void Validate(Module module, PluginLimits limits)
    {
        CheckImports(module);

        MemoryExport? memory = null;
        FunctionExport? start = null;
        foreach (var export in module.Exports)
        {
            switch (export.Name)
            {
                case "memory":
                    memory = export as MemoryExport ?? throw new WasmLoadException("export 'memory' must be a memory");
                    break;
                case "_start":
                    start = export as FunctionExport ?? throw new WasmLoadException("export '_start' must be a function");
                    break;
            }
        }

        if (start is null)
        {
            throw new WasmLoadException(
                "missing export '_start': a command plugin must be a WASI command module (built with a main function, without --no-entry)");
        }

        if (start.Parameters.Count != 0 || start.Results.Count != 0)
        {
            throw new WasmLoadException(
                $"export '_start' has signature {HostImport.Describe(start.Parameters, start.Results)}, expected () -> ()");
        }

        if (memory is null)
        {
            throw new WasmLoadException("missing export 'memory'");
        }

        if (memory.Is64Bit)
        {
            throw new WasmLoadException("export 'memory' is a 64-bit memory; WASI preview 1 needs a 32-bit memory");
        }

        var initialBytes = memory.Minimum * PageBytes;
        if (initialBytes > limits.MemoryBytes)
        {
            throw new WasmLoadException(
                $"the module's initial memory ({initialBytes / (1024 * 1024.0):0.#} MiB) exceeds its memory cap ({limits.MemoryMb} MiB)");
        }
    }

    private static void CheckImports(Module module)
    {
        List<string>? unsupported = null;
        foreach (var import in module.Imports)
        {
            var known = WasiImports.Find(import.ModuleName, import.Name);
            if (known is null || import is not FunctionImport function)
            {
                (unsupported ??= []).Add($"'{import.ModuleName}.{import.Name}'");
                continue;
            }

            if (!function.Parameters.SequenceEqual(known.Parameters) || !function.Results.SequenceEqual(known.Results))
            {
                throw new WasmLoadException(
                    $"import '{import.ModuleName}.{import.Name}' has signature {HostImport.Describe(function.Parameters, function.Results)}, " +
                    $"but WASI preview 1 defines {known.Signature}");
            }
        }

        if (unsupported is not null)
        {
            throw new WasmLoadException(
                $"a command module may import only {WasiImports.ModuleName} functions; unsupported: {string.Join(", ", unsupported)}");
        }
    }
}
