using Wafer.Protocol.Metadata;
using Wafer.Wasm.Tests.Support;

namespace Wafer.Wasm.Tests;

public sealed class MetadataTests
{
    [Fact]
    public void ReadMetadata_ModuleWithSection_ReturnsFunctionsInOrder()
    {
        var metadata = ModuleMetadata.Read(Guests.Bytes("echo"));

        Assert.Equal(1, metadata.Abi);
        Assert.Equal("wat", metadata.Sdk);
        Assert.Equal(["echo", "hello", "nothing"], metadata.Functions.Select(f => f.Name));
        Assert.Equal("value", Assert.Single(metadata.Functions[0].Parameters).Name);
        Assert.Equal(WasmType.String, metadata.Functions[0].Result);
    }

    [Fact]
    public void ReadMetadata_NoSection_ThrowsNamingTheSection()
    {
        var ex = Assert.Throws<MetadataException>(() => ModuleMetadata.Read(Guests.Bytes("no-meta")));

        Assert.Equal("module has no wafer.meta custom section", ex.Message);
    }

    [Fact]
    public void ReadMetadata_OtherAbiVersion_ThrowsNamingTheVersion()
    {
        var ex = Assert.Throws<MetadataException>(() => ModuleMetadata.Read(Guests.Bytes("abi2")));

        Assert.Contains("abi is 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadMetadata_NotWasm_Throws()
    {
        var ex = Assert.Throws<MetadataException>(() => ModuleMetadata.Read("{\"abi\":1}"u8));

        Assert.Contains("not a WebAssembly module", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadMetadata_TruncatedModule_ThrowsMalformed()
    {
        var bytes = Guests.Bytes("echo");

        var ex = Assert.Throws<MetadataException>(() => ModuleMetadata.Read(bytes.AsSpan(0, bytes.Length - 10)));

        Assert.Contains("malformed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadMetadata_TwoSections_Throws()
    {
        var bytes = Guests.Bytes("echo");
        var section = CustomSection("wafer.meta", "{\"abi\":1,\"functions\":[]}"u8.ToArray());

        var ex = Assert.Throws<MetadataException>(() => ModuleMetadata.Read([.. bytes, .. section]));

        Assert.Contains("2 wafer.meta custom sections", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadMetadata_InvalidJson_ThrowsFromTheReader()
    {
        byte[] module = [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, .. CustomSection("wafer.meta", "{nope"u8.ToArray())];

        var ex = Assert.Throws<MetadataException>(() => ModuleMetadata.Read(module));

        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sha256Hex_KnownInput_IsLowerCaseHex()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", WasmHost.Sha256Hex("abc"u8));
    }

    private static byte[] CustomSection(string name, byte[] payload)
    {
        var nameBytes = System.Text.Encoding.UTF8.GetBytes(name);
        var content = new List<byte> { (byte)nameBytes.Length };
        content.AddRange(nameBytes);
        content.AddRange(payload);
        var section = new List<byte> { 0 };
        var size = content.Count;
        do
        {
            var b = (byte)(size & 0x7F);
            size >>= 7;
            section.Add(size == 0 ? b : (byte)(b | 0x80));
        }
        while (size != 0);

        section.AddRange(content);
        return [.. section];
    }
}
