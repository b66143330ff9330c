using Wafer.Protocol.Binary;

namespace Wafer.Protocol.Metadata;

/// <summary>A module's <c>wafer.meta</c> custom section (docs/abi.md §1), read from its bytes without compiling it.</summary>
public static class ModuleMetadata
{
    /// <summary>
    /// The raw JSON of the module's single <c>wafer.meta</c> custom section, or null when it has none (a command
    /// module) or more than one. For those that pass metadata on without loading the module (the gateway's routes).
    /// </summary>
    public static byte[]? FindJson(ReadOnlySpan<byte> wasm) =>
        WasmBinary.TryFindCustomSection(wasm, PluginMetadata.SectionName, out var payload, out var count) is null && count == 1
            ? payload.ToArray()
            : null;

    /// <summary>
    /// Reads and validates the module's <c>wafer.meta</c> custom section. Throws <see cref="MetadataException"/> when
    /// the section is missing, duplicated or invalid.
    /// </summary>
    public static PluginMetadata Read(ReadOnlySpan<byte> wasm)
    {
        var error = WasmBinary.TryFindCustomSection(wasm, PluginMetadata.SectionName, out var payload, out var count);
        if (error is not null)
        {
            throw new MetadataException(error);
        }

        return count switch
        {
            0 => throw new MetadataException($"module has no {PluginMetadata.SectionName} custom section"),
            1 => MetadataReader.Parse(payload),
            _ => throw new MetadataException($"module has {count} {PluginMetadata.SectionName} custom sections; expected one"),
        };
    }
}
