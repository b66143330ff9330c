using Wafer.Protocol.Calls;
using Wafer.Protocol.Manifest;
using Wafer.Wasm.Tests.Support;

namespace Wafer.Wasm.Tests;

/// <summary>When every pooling-allocator slot is busy, a call fails fast as out of memory and the host recovers.</summary>
public sealed class CapacityTests : IDisposable
{
    private readonly string _cacheDirectory = TempDirectory.Create("wafer-capacity-tests");

    [Fact]
    public async Task Invoke_AllSlotsBusy_FailsAsOutOfMemoryThenRecovers()
    {
        var options = HostFixture.TestOptions(_cacheDirectory);
        options.PoolTotalInstances = 2;
        using var host = new WasmHost(options, new RecordingLogger<WasmHost>());
        using var loop = host.Load(Guests.Bytes("loop"), "loop", new PluginLimits { TimeoutMs = 1000 }, false);
        using var echo = host.Load(Guests.Bytes("echo"), "echo", PluginLimits.Default, false);
        var busy = Enumerable.Range(0, 2)
            .Select(_ => Task.Factory.StartNew(() => loop.Invoke(0, "[]"u8, RecordingContext.None), TaskCreationOptions.LongRunning))
            .ToArray();
        await Task.Delay(300, TestContext.Current.CancellationToken);

        var refused = echo.Invoke(0, "[1]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.OutOfMemory, refused.Status);
        Assert.Contains("concurrent", refused.Message, StringComparison.Ordinal);
        Assert.All(await Task.WhenAll(busy), r => Assert.Equal(CallStatus.Timeout, r.Status));
        Assert.Equal(CallStatus.Ok, echo.Invoke(0, "[1]"u8, RecordingContext.None).Status);
    }

    public void Dispose() => TempDirectory.Delete(_cacheDirectory);
}
