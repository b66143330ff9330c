using Wafer.Protocol.Calls;
using Wafer.Protocol.Manifest;
using Wafer.Wasm.Tests.Support;

namespace Wafer.Wasm.Tests;

public sealed class LoadTests(HostFixture fixture)
{
    [Fact]
    public void Load_ValidModule_DescribesIt()
    {
        var bytes = Guests.Bytes("echo");
        var limits = new PluginLimits { TimeoutMs = 1234 };

        using var module = fixture.Host.Load(bytes, "echo-plugin", limits, reuseInstances: true);

        Assert.Equal("echo-plugin", module.Name);
        Assert.Equal(WasmHost.Sha256Hex(bytes), module.Hash);
        Assert.Equal(limits, module.Limits);
        Assert.True(module.ReuseInstances);
        Assert.True(module.LoadTime > TimeSpan.Zero);
    }

    [Fact]
    public void Load_NotWasm_Throws()
    {
        var ex = Assert.Throws<WasmLoadException>(() => Load("hello, world"u8.ToArray()));

        Assert.Contains("not a WebAssembly module", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Empty_Throws()
    {
        var ex = Assert.Throws<WasmLoadException>(() => Load([]));

        Assert.Contains("not a WebAssembly module", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_GarbageAfterHeader_ThrowsInvalidModule()
    {
        var ex = Assert.Throws<WasmLoadException>(() => Load([0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x01, 0xFF, 0x03]));

        Assert.StartsWith("invalid WebAssembly module:", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("missing-export", "missing export 'wafer_invoke'")]
    [InlineData("bad-export", "export 'wafer_invoke' has signature (i32) -> (i32), expected (i32, i32, i32) -> (i32)")]
    [InlineData("bad-import", "unsupported import 'foo.bar'")]
    [InlineData("bad-import-signature", "import 'wafer.result' has signature (i32) -> (), but the host provides (i32, i32) -> ()")]
    public void Load_ModuleBreakingTheAbi_ThrowsNamingTheProblem(string fixtureName, string expected)
    {
        var ex = Assert.Throws<WasmLoadException>(() => Load(Guests.Bytes(fixtureName)));

        Assert.Equal(expected, ex.Message);
    }

    [Fact]
    public void Load_InitialMemoryAboveCap_Throws()
    {
        var ex = Assert.Throws<WasmLoadException>(
            () => fixture.Host.Load(Guests.Bytes("big-memory"), "big", new PluginLimits { MemoryMb = 16 }, false));

        Assert.Contains("exceeds its memory cap (16 MiB)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AfterRejections_StillLoadsValidModules()
    {
        Assert.Throws<WasmLoadException>(() => Load(Guests.Bytes("bad-import")));

        using var module = Load(Guests.Bytes("echo"));

        Assert.Equal(CallStatus.Ok, module.Invoke(0, "[1]"u8, RecordingContext.None).Status);
    }

    private WasmModule Load(byte[] bytes) => fixture.Host.Load(bytes, "test", PluginLimits.Default, false);
}
