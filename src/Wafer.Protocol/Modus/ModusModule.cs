using Wafer.Protocol.Binary;
using Wafer.Protocol.Metadata;

namespace Wafer.Protocol.Modus;

/// <summary>A module built with the Modus SDK, told apart and read from its bytes without compiling it.</summary>
public static class ModusModule
{
    /// <summary>True when the module carries Modus's metadata version section.</summary>
    public static bool Is(ReadOnlySpan<byte> wasm)
    {
        try
        {
            return WasmBinary.FindCustomSection(wasm, ModusMetadata.VersionSectionName) is not null;
        }
        catch (MetadataException)
        {
            return false;
        }
    }

    /// <summary>Reads and maps the module's Modus metadata (for loading it, for the fleet's routes and for checks).</summary>
    public static (ModusMetadata Modus, ModusFunctionModel Model) ReadMetadata(ReadOnlySpan<byte> wasm)
    {
        var version = WasmBinary.FindCustomSection(wasm, ModusMetadata.VersionSectionName)
            ?? throw new MetadataException($"module has no {ModusMetadata.VersionSectionName} custom section");
        var json = WasmBinary.FindCustomSection(wasm, ModusMetadata.SectionName)
            ?? throw new MetadataException($"module has no {ModusMetadata.SectionName} custom section (rebuild it with the Modus SDK)");
        var modus = ModusMetadataReader.Parse(version, json);
        return (modus, ModusFunctionModel.Build(modus));
    }
}
