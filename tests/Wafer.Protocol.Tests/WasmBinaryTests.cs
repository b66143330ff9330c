using Wafer.Protocol.Binary;
using Wafer.Protocol.Metadata;

namespace Wafer.Protocol.Tests;

public sealed class WasmBinaryTests
{
    private static readonly byte[] Header = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00];

    [Fact]
    public void CoreModuleHeader_HasNoProblem()
    {
        Assert.Null(WasmBinary.HeaderProblem(Header));
    }

    [Theory]
    [InlineData(new byte[] { 0x68, 0x65, 0x6C, 0x6C, 0x6F })]
    [InlineData(new byte[] { 0x00, 0x61, 0x73 })]
    [InlineData(new byte[0])]
    public void NotWasm_SaysTheMagicNumberIsMissing(byte[] bytes)
    {
        Assert.Equal("not a WebAssembly module (no \\0asm magic number)", WasmBinary.HeaderProblem(bytes));
    }

    [Fact]
    public void Component_IsRefusedAsNotACoreModule()
    {
        byte[] component = [0x00, 0x61, 0x73, 0x6D, 0x0D, 0x00, 0x01, 0x00];

        Assert.Equal("not a core WebAssembly module of version 1 (components are not supported)", WasmBinary.HeaderProblem(component));
        Assert.Throws<MetadataException>(() => ModuleMetadata.Read(component));
    }

    [Fact]
    public void CustomSection_FoundOnce_DuplicatedRefused()
    {
        byte[] once = [.. Header, .. Section("wafer.meta", "{}"u8)];
        byte[] twice = [.. once, .. Section("wafer.meta", "{}"u8)];

        Assert.Equal("{}"u8.ToArray(), WasmBinary.FindCustomSection(once, "wafer.meta"));
        Assert.Equal("{}"u8.ToArray(), ModuleMetadata.FindJson(once));
        Assert.Null(ModuleMetadata.FindJson(twice));
        var ex = Assert.Throws<MetadataException>(() => WasmBinary.FindCustomSection(twice, "wafer.meta"));
        Assert.Equal("module has 2 wafer.meta custom sections; expected one", ex.Message);
        Assert.Null(WasmBinary.FindCustomSection(Header, "wafer.meta"));
    }

    /// <summary>A custom section (id 0) with a name and payload under 128 bytes each (one-byte LEB128 sizes).</summary>
    private static byte[] Section(string name, ReadOnlySpan<byte> payload)
    {
        var nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        return [0, (byte)(1 + nameBytes.Length + payload.Length), (byte)nameBytes.Length, .. nameBytes, .. payload];
    }
}
