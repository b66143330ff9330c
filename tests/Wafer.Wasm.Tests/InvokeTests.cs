using System.Text;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Manifest;
using Wafer.Wasm.Tests.Support;

namespace Wafer.Wasm.Tests;

public sealed class InvokeTests(HostFixture fixture)
{
    [Fact]
    public void Invoke_Echo_ReturnsItsArguments()
    {
        var result = fixture.Module("echo").Invoke(0, "[\"héllo\",42]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.Ok, result.Status);
        Assert.Equal("[\"héllo\",42]", Text(result.ResultJson));
        Assert.Null(result.Message);
    }

    [Fact]
    public void Invoke_FunctionIndex_SelectsTheFunction()
    {
        var result = fixture.Module("echo").Invoke(1, "[]"u8, RecordingContext.None);

        Assert.Equal("\"hello\"", Text(result.ResultJson));
    }

    [Fact]
    public void Invoke_VoidFunctionWithoutResult_ReturnsJsonNull()
    {
        var result = fixture.Module("echo").Invoke(2, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.Ok, result.Status);
        Assert.Equal("null", Text(result.ResultJson));
    }

    [Fact]
    public void Invoke_EmptyArguments_Works()
    {
        var result = fixture.Module("echo").Invoke(0, [], RecordingContext.None);

        Assert.Equal(CallStatus.Ok, result.Status);
        Assert.Empty(result.ResultJson!);
    }

    [Fact]
    public void Invoke_LargeArguments_AreCopiedWhole()
    {
        var args = Encoding.UTF8.GetBytes("[\"" + new string('x', 3 * 1024 * 1024) + "\"]");

        var result = fixture.Module("echo").Invoke(0, args, RecordingContext.None);

        Assert.Equal(CallStatus.Ok, result.Status);
        Assert.Equal(args, result.ResultJson);
    }

    [Fact]
    public void Invoke_FreshInstances_ShareNoState()
    {
        var module = fixture.Module("counter");

        var values = Enumerable.Range(0, 3).Select(_ => Text(module.Invoke(0, "[]"u8, RecordingContext.None).ResultJson));

        Assert.Equal(["1", "1", "1"], values);
    }

    [Fact]
    public void Invoke_ReusedInstance_KeepsGuestState()
    {
        using var module = fixture.Host.Load(Guests.Bytes("counter"), "counter", PluginLimits.Default, reuseInstances: true);

        var values = Enumerable.Range(0, 3).Select(_ => Text(module.Invoke(0, "[]"u8, RecordingContext.None).ResultJson));

        Assert.Equal(["1", "2", "3"], values);
    }

    [Fact]
    public void Invoke_ReusedInstance_KeptAfterGuestErrorAndDiscardedAfterTrap()
    {
        using var module = fixture.Host.Load(Guests.Bytes("counter"), "counter", PluginLimits.Default, reuseInstances: true);
        var none = RecordingContext.None;

        Assert.Equal("1", Text(module.Invoke(0, "[]"u8, none).ResultJson));
        Assert.Equal(CallStatus.GuestError, module.Invoke(2, "[]"u8, none).Status);
        Assert.Equal("3", Text(module.Invoke(0, "[]"u8, none).ResultJson));
        Assert.Equal(CallStatus.Trap, module.Invoke(1, "[]"u8, none).Status);
        Assert.Equal("1", Text(module.Invoke(0, "[]"u8, none).ResultJson));
    }

    [Fact]
    public void Invoke_GuestError_CarriesTheGuestMessage()
    {
        var result = fixture.Module("guest-error").Invoke(0, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.GuestError, result.Status);
        Assert.Equal("name must not be empty", result.Message);
        Assert.Equal("name must not be empty", Text(result.ResultJson));
    }

    [Fact]
    public void Invoke_OtherNonZeroReturn_IsGuestErrorWithoutGuestMessage()
    {
        var result = fixture.Module("guest-error").Invoke(1, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.GuestError, result.Status);
        Assert.Null(result.ResultJson);
        Assert.Equal("guest error (wafer_invoke returned 7)", result.Message);
    }

    [Fact]
    public void Invoke_WaferLog_DeliversEveryLevelAndCutsLongLines()
    {
        var context = new RecordingContext();

        var result = fixture.Module("log").Invoke(0, "[]"u8, context);

        Assert.Equal(CallStatus.Ok, result.Status);
        var lines = context.Lines;
        Assert.Equal(
            [
                (GuestLogLevel.Debug, "debug line"),
                (GuestLogLevel.Info, "info line"),
                (GuestLogLevel.Warning, "warning line"),
                (GuestLogLevel.Error, "error line"),
                (GuestLogLevel.Info, "other level"),
                (GuestLogLevel.Info, "héllo ☃"),
            ],
            lines.Take(6));
        Assert.Equal(new string('x', 16 * 1024) + "… [truncated: 3,616 more bytes]", lines[6].Message);
    }

    [Fact]
    public void Invoke_EnvImports_ProvideSeedClockAndTrace()
    {
        var context = new RecordingContext();

        var result = fixture.Module("env").Invoke(0, "[]"u8, context);

        Assert.Equal("true", Text(result.ResultJson));
        Assert.Equal((GuestLogLevel.Debug, "tick 1.5, 2.5"), Assert.Single(context.Lines));
    }

    [Fact]
    public void Invoke_ModuleWithStartAndInitialize_RunsBothBeforeTheCall()
    {
        var context = new RecordingContext();

        var result = fixture.Module("init").Invoke(0, "[]"u8, context);

        Assert.Equal("true", Text(result.ResultJson));
        Assert.Equal((GuestLogLevel.Info, "started"), Assert.Single(context.Lines));
    }

    [Fact]
    public void Invoke_WithFuelBudget_CompletesWithinIt()
    {
        var module = fixture.Module("echo", new PluginLimits { Fuel = 1_000_000 });

        var result = module.Invoke(0, "[7]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.Ok, result.Status);
        Assert.Equal("[7]", Text(result.ResultJson));
    }

    [Fact]
    public void Invoke_ManyThreadsAtOnce_AllSucceed()
    {
        var module = fixture.Module("echo");
        var reused = fixture.Module("counter", reuse: true);
        var failures = 0;

        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            var args = Encoding.UTF8.GetBytes($"[{i}]");
            var echo = module.Invoke(0, args, RecordingContext.None);
            var count = reused.Invoke(0, "[]"u8, RecordingContext.None);
            if (echo.Status != CallStatus.Ok || !echo.ResultJson!.AsSpan().SequenceEqual(args) || count.Status != CallStatus.Ok)
            {
                Interlocked.Increment(ref failures);
            }
        });

        Assert.Equal(0, failures);
    }

    [Fact]
    public void Invoke_AfterDispose_Throws()
    {
        var module = fixture.Host.Load(Guests.Bytes("echo"), "echo", PluginLimits.Default, false);
        module.Dispose();

        Assert.Throws<ObjectDisposedException>(() => module.Invoke(0, "[]"u8, RecordingContext.None));
    }

    private static string Text(byte[]? bytes) => Encoding.UTF8.GetString(bytes ?? throw new InvalidOperationException("no output"));
}
