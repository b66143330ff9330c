using System.Diagnostics;
using System.Text;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Manifest;
using Wafer.Wasm.Tests.Support;
using Wafer.Wasm.Wasi;

namespace Wafer.Wasm.Tests;

/// <summary>WASI: function modules that import it, and command modules run with <see cref="CommandModule.Run"/>.</summary>
public sealed class WasiTests(HostFixture fixture)
{
    [Fact]
    public void FunctionModule_StdoutAndStderr_ReachTheCallsLog()
    {
        var context = new RecordingContext();

        var result = fixture.Module("wasi-print").Invoke(0, "[]"u8, context);

        Assert.Equal(CallStatus.Ok, result.Status);
        Assert.Equal([(GuestLogLevel.Info, "printed line"), (GuestLogLevel.Warning, "warned line")], context.Lines);
    }

    [Fact]
    public void FunctionModule_MayNotSleep()
    {
        var result = fixture.Module("wasi-print").Invoke(1, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.GuestError, result.Status);
        Assert.Equal("guest error (wafer_invoke returned 58)", result.Message);
    }

    [Fact]
    public void FunctionModule_ProcExit_IsATrap()
    {
        var result = fixture.Module("wasi-print").Invoke(2, "[]"u8, RecordingContext.None);

        Assert.Equal(CallStatus.Trap, result.Status);
        Assert.Equal("the guest called proc_exit(3) during a function call", result.Message);
    }

    [Fact]
    public void Command_SpinningPastItsTimeout_TimesOut()
    {
        using var command = fixture.Host.LoadCommand(Guests.Bytes("wasi-spin"), "wasi-spin", PluginLimits.Default with { TimeoutMs = 200 });

        var result = command.Run(new CommandInput { Args = ["wasi-spin"] });

        Assert.Equal(CommandStatus.Timeout, result.Status);
        Assert.Null(result.ExitCode);
        Assert.Equal("started\n", Encoding.UTF8.GetString(result.Stdout));
        Assert.Equal("timed out after 200 ms", result.Message);
        Assert.InRange(result.Duration.TotalMilliseconds, 190, 1500);
    }

    [Fact]
    public void Command_SleepingPastItsTimeout_TimesOutToo()
    {
        using var command = fixture.Host.LoadCommand(Guests.Bytes("wasi-spin"), "wasi-spin", PluginLimits.Default with { TimeoutMs = 200 });

        var result = command.Run(new CommandInput { Args = ["wasi-spin", "sleep"] });

        Assert.Equal(CommandStatus.Timeout, result.Status);
        Assert.InRange(result.Duration.TotalMilliseconds, 190, 1500);
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public void Command_Cancelled_StopsWithinMilliseconds()
    {
        using var command = fixture.Host.LoadCommand(Guests.Bytes("wasi-spin"), "wasi-spin", PluginLimits.Default);
        var clock = Stopwatch.StartNew(); // before the timer: .NET timers may fire a few ms early on the coarse clock
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        var result = command.Run(new CommandInput { Args = ["wasi-spin"] }, cancellation.Token);

        Assert.Equal(CommandStatus.Cancelled, result.Status);
        Assert.InRange(clock.ElapsedMilliseconds, 80, 1500);
    }

    [Fact]
    public void Command_OutputBeyondTheCap_IsCountedNotKept()
    {
        // long enough for the guest's first write even on a loaded machine; it spins until the deadline anyway
        using var command = fixture.Host.LoadCommand(Guests.Bytes("wasi-spin"), "wasi-spin", PluginLimits.Default with { TimeoutMs = 500 });

        var result = command.Run(new CommandInput { Args = ["wasi-spin"], StdoutLimitBytes = 3 });

        Assert.Equal("sta", Encoding.UTF8.GetString(result.Stdout));
        Assert.True(result.StdoutTruncated);
        Assert.False(result.StderrTruncated);
    }

    [Theory]
    [InlineData("loop", "missing export '_start'")]
    [InlineData("log", "a command module may import only wasi_snapshot_preview1 functions; unsupported: 'wafer.log'")]
    public void LoadCommand_RefusesModulesThatAreNotCommands(string guest, string expected)
    {
        var error = Assert.Throws<WasmLoadException>(() => fixture.Host.LoadCommand(Guests.Bytes(guest), guest, PluginLimits.Default));

        Assert.StartsWith(expected, error.Message);
    }
}
