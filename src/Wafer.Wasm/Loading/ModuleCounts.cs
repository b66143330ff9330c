using Wafer.Protocol.Binary;

namespace Wafer.Wasm.Loading;

/// <summary>
/// Checks a module's bytes against <see cref="ModuleLimits"/> without compiling it: the size, the counts at the head of
/// the import, function and export sections, and the size of the metadata section. A module that breaks one is refused
/// before the compiler spends memory on it.
/// </summary>
internal static class ModuleCounts
{
    private const byte ImportSection = 2;
    private const byte FunctionSection = 3;
    private const byte ExportSection = 7;

    /// <summary>Throws <see cref="WasmLoadException"/> naming the first limit the module breaks.</summary>
    public static void Check(ReadOnlySpan<byte> wasm, ModuleLimits limits, string metadataSection)
    {
        if (wasm.Length > limits.MaxBytes)
        {
            throw new WasmLoadException($"the module is {wasm.Length} bytes, over the limit of {limits.MaxBytes} (--maxModuleBytes)");
        }

        foreach (var (id, content, customName) in WasmBinary.Sections(wasm))
        {
            switch (id)
            {
                case ImportSection:
                    Over(content, limits.MaxImports, "imports", "--maxModuleImports");
                    break;
                case FunctionSection:
                    Over(content, limits.MaxFunctions, "functions", "--maxModuleFunctions");
                    break;
                case ExportSection:
                    Over(content, limits.MaxExports, "exports", "--maxModuleExports");
                    break;
                case 0 when customName == metadataSection && content.Length > limits.MaxMetadataBytes:
                    throw new WasmLoadException(
                        $"the module's {metadataSection} section is {content.Length} bytes, over the limit of {limits.MaxMetadataBytes} (--maxMetadataBytes)");
            }
        }
    }

    private static void Over(ReadOnlySpan<byte> content, int limit, string what, string flag)
    {
        var position = 0;
        if (WasmBinary.TryReadU32(content, ref position, out var count) && count > (uint)limit)
        {
            throw new WasmLoadException($"the module has {count} {what}, over the limit of {limit} ({flag})");
        }
    }
}
