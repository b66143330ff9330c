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
        using var loop = host.Load(Guests.Bytes("loop"), "loop", new PluginLimits { TimeoutMs = 3000 }, false);
        using var echo = host.Load(Guests.Bytes("echo"), "echo", PluginLimits.Default, false);
        // Each loop takes a slot again if the probing calls below held one the moment it started.
        var busy = Enumerable.Range(0, 2)
            .Select(_ => Task.Factory.StartNew(() =>
            {
                CallOutcome outcome;
                do
                {
                    outcome = loop.Invoke(0, "[]"u8, RecordingContext.None);
                }
                while (outcome.Status == CallStatus.OutOfMemory);
                return outcome;
            }, TaskCreationOptions.LongRunning))
            .ToArray();

        // Until both loops hold their slots (their threads may start late on a loaded machine), a call still runs.
        var refused = echo.Invoke(0, "[1]"u8, RecordingContext.None);
        while (refused.Status == CallStatus.Ok && !busy.All(t => t.IsCompleted))
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
            refused = echo.Invoke(0, "[1]"u8, RecordingContext.None);
        }

        Assert.Equal(CallStatus.OutOfMemory, refused.Status);
        Assert.Contains("concurrent", refused.Message, StringComparison.Ordinal);
        Assert.All(await Task.WhenAll(busy), r => Assert.Equal(CallStatus.Timeout, r.Status));
        Assert.Equal(CallStatus.Ok, echo.Invoke(0, "[1]"u8, RecordingContext.None).Status);
    }

    public void Dispose() => TempDirectory.Delete(_cacheDirectory);
}
