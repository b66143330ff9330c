using System.Diagnostics;
using System.Text;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Manifest;
using Wafer.Wasm.Tests.Support;

namespace Wafer.Wasm.Tests;

/// <summary>Every way a guest can fail is a result with a cause, and the host keeps serving afterwards.</summary>
public sealed class FailureTests(HostFixture fixture)
{
    [Fact]
    [Trait("Timing", "Sensitive")]
    public void Invoke_EndlessLoop_TimesOutNearTheLimit()
    {
        var module = fixture.Module("loop", new PluginLimits { TimeoutMs = 200 });
        var clock = Stopwatch.StartNew();

        var result = module.Invoke(0, "[]"u8, RecordingContext.None);

        clock.Stop();
        Assert.Equal(CallStatus.Timeout, result.Status);
        Assert.Equal("timed out after 200 ms", result.Message);
        Assert.InRange(clock.ElapsedMilliseconds, 190, 3000);
        AssertHostServes();
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Invoke_EndlessLoop_DoesNotStallOtherCalls()
    {
        var loop = fixture.Module("loop", new PluginLimits { TimeoutMs = 1500 });
        var echo = fixture.Module("echo");
        var looping = Task.Factory.StartNew(
            () => loop.Invoke(0, "[]"u8, RecordingContext.None), TaskCreationOptions.LongRunning);
        Thread.Sleep(100);

        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(CallStatus.Ok, echo.Invoke(0, "[1]"u8, RecordingContext.None).Status);
        }

        clock.Stop();
        Assert.False(looping.IsCompleted, "the loop should still be running");
        Assert.True(clock.ElapsedMilliseconds < 1000, $"100 calls took {clock.ElapsedMilliseconds} ms beside a spinning guest");
        Assert.Equal(CallStatus.Timeout, (await looping).Status);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public void Invoke_EndlessLoopWithFuel_RunsOutOfFuel()
    {
        var module = fixture.Module("loop", new PluginLimits { Fuel = 100_000, TimeoutMs = 10_000 });
        var clock = Stopwatch.StartNew();

        var result = module.Invoke(0, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.OutOfFuel, result.Status);
        Assert.Equal("ran out of fuel (100000 units)", result.Message);
        Assert.True(clock.ElapsedMilliseconds < 2000);
        AssertHostServes();
    }

    [Fact]
    public void Invoke_UnboundedGrowth_IsOutOfMemoryAtTheCap()
    {
        var module = fixture.Module("grow", new PluginLimits { MemoryMb = 2 });

        var result = module.Invoke(0, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.OutOfMemory, result.Status);
        Assert.Contains("2 MiB of its 2 MiB cap", result.Message, StringComparison.Ordinal);
        AssertHostServes();
    }

    [Fact]
    public void Invoke_Unreachable_IsTrapWithWasmtimeMessage()
    {
        var result = fixture.Module("unreachable").Invoke(0, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.Trap, result.Status);
        Assert.Equal("wasm trap: wasm `unreachable` instruction executed", result.Message);
        AssertHostServes();
    }

    [Fact]
    public void Invoke_DivideByZero_IsTrap()
    {
        var result = fixture.Module("divzero").Invoke(0, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.Trap, result.Status);
        Assert.Equal("wasm trap: integer divide by zero", result.Message);
        AssertHostServes();
    }

    [Fact]
    public void Invoke_EndlessRecursion_IsTrapNotACrash()
    {
        var result = fixture.Module("recursion").Invoke(0, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.Trap, result.Status);
        Assert.Contains("call stack exhausted", result.Message, StringComparison.Ordinal);
        AssertHostServes();
    }

    [Fact]
    public void Invoke_WaferAbort_IsAbortWithTheGuestMessage()
    {
        var result = fixture.Module("abort").Invoke(0, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.Abort, result.Status);
        Assert.Equal("boom at plugin.c:12", result.Message);
        AssertHostServes();
    }

    [Fact]
    public void Invoke_AssemblyScriptAbort_FormatsMessageAndLocation()
    {
        var result = fixture.Module("as-abort").Invoke(0, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.Abort, result.Status);
        Assert.Equal("boom at assembly/index.ts:3:5", result.Message);
    }

    [Fact]
    public void Invoke_AssemblyScriptAbortWithoutStrings_IsPlainAbort()
    {
        var result = fixture.Module("as-abort").Invoke(1, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.Abort, result.Status);
        Assert.Equal("abort", result.Message);
    }

    [Theory]
    [InlineData("as-abort", 2, "env.abort: range [2147418108, 2147418112) is outside guest memory (65536 bytes)")]
    [InlineData("oob", 0, "wafer.result: range [65000, 75000) is outside guest memory (65536 bytes)")]
    [InlineData("oob", 1, "wafer.log: range [4294967295, 4294967305) is outside guest memory (65536 bytes)")]
    public void Invoke_BadPointerToHostImport_IsTrapNamingTheImport(string fixtureName, int function, string expected)
    {
        var result = fixture.Module(fixtureName).Invoke(function, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.Trap, result.Status);
        Assert.Equal(expected, result.Message);
        AssertHostServes();
    }

    [Fact]
    public void Invoke_OutOfBoundsLoad_IsTrapNotOutOfMemory()
    {
        var result = fixture.Module("oob").Invoke(2, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.Trap, result.Status);
        Assert.StartsWith("memory fault at wasm address 0x7ffffff0", result.Message, StringComparison.Ordinal);
        Assert.EndsWith("wasm trap: out of bounds memory access", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invoke_AllocReturningBadPointer_IsTrap()
    {
        var result = fixture.Module("bad-alloc").Invoke(0, "[1,2,3]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.Trap, result.Status);
        Assert.StartsWith("wafer_alloc returned pointer 2147483632", result.Message, StringComparison.Ordinal);
        AssertHostServes();
    }

    [Fact]
    public void Invoke_ContextThatThrows_IsTrapNotAHostCrash()
    {
        var result = fixture.Module("log").Invoke(0, "[]"u8, new ThrowingContext());

        Assert.Equal(CallStatus.Trap, result.Status);
        Assert.Equal("wafer.log: the host could not record the line: log sink is down", result.Message);
        AssertHostServes();
    }

    [Fact]
    public void Invoke_ManyFailuresInARow_LeaveTheHostHealthy()
    {
        var loop = fixture.Module("loop", new PluginLimits { TimeoutMs = 20 });
        var grow = fixture.Module("grow", new PluginLimits { MemoryMb = 1 });
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(CallStatus.Trap, fixture.Module("unreachable").Invoke(0, "[]"u8, RecordingContext.None).Status);
            Assert.Equal(CallStatus.Abort, fixture.Module("abort").Invoke(0, "[]"u8, RecordingContext.None).Status);
            Assert.Equal(CallStatus.OutOfMemory, grow.Invoke(0, "[]"u8, RecordingContext.None).Status);
        }

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(CallStatus.Timeout, loop.Invoke(0, "[]"u8, RecordingContext.None).Status);
        }

        AssertHostServes();
    }

    private void AssertHostServes()
    {
        var result = fixture.Module("echo").Invoke(0, "[\"still here\"]"u8, RecordingContext.None);
        Assert.Equal(CallStatus.Ok, result.Status);
        Assert.Equal("[\"still here\"]", Encoding.UTF8.GetString(result.ResultJson!));
    }

    private sealed class ThrowingContext : IGuestCallContext
    {
        public void Log(GuestLogLevel level, string message) => throw new InvalidOperationException("log sink is down");
    }
}
