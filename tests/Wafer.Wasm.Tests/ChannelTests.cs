using System.Diagnostics;
using System.Text;
using Wafer.Protocol.Manifest;
using Wafer.Wasm.Tests.Support;
using Wafer.Wasm.Wasi;

namespace Wafer.Wasm.Tests;

/// <summary>
/// Channels: files the host serves to a command run. A C program's <c>fgets</c> on one waits for the host's next
/// bytes, its <c>fputs</c>+<c>fflush</c> reach the host at once, and the host ending the channel is end of file.
/// </summary>
public sealed class ChannelTests(HostFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Command_EchoingAChannel_ReadsEachLineAsSentAndEndsWhenTheChannelEnds()
    {
        var input = new QueueChannel("/ch/in", readable: true, writable: false);
        var output = new QueueChannel("/ch/out", readable: false, writable: true);
        using var command = fixture.Host.LoadCommand(Guests.Bytes("c-module"), "c-module", PluginLimits.Default with { TimeoutMs = 60_000 });

        var run = Task.Factory.StartNew(
            () => command.Run(new CommandInput { Args = ["c-module", "echo", "/ch/in", "/ch/out", "> "], Channels = [input, output] }),
            TaskCreationOptions.LongRunning);
        foreach (var line in new[] { "one", "two", "three" })
        {
            input.Add(line + "\n");
            Assert.Equal("> " + line + "\n", await Task.Run(() => output.NextWrite(Patience)));
        }

        Assert.False(run.IsCompleted); // waiting in its next read
        input.End();
        var result = await run.WaitAsync(Patience);

        Assert.Equal(CommandStatus.Exited, result.Status);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("echoing /ch/in to /ch/out\ninput ended after 3 lines\n", Encoding.UTF8.GetString(result.Stdout));
        Assert.Equal("", Encoding.UTF8.GetString(result.Stderr));
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Command_WaitingOnAChannel_IsStoppedByCancellation()
    {
        var input = new QueueChannel("/in", readable: true, writable: false);
        var output = new QueueChannel("/out", readable: false, writable: true);
        using var command = fixture.Host.LoadCommand(Guests.Bytes("c-module"), "c-module", PluginLimits.Default with { TimeoutMs = 60_000 });
        using var cancellation = new CancellationTokenSource();

        var run = Task.Factory.StartNew(
            () => command.Run(new CommandInput { Args = ["c-module", "echo", "/in", "/out", ""], Channels = [input, output] }, cancellation.Token),
            TaskCreationOptions.LongRunning);
        input.Add("ping\n");
        Assert.Equal("ping\n", await Task.Run(() => output.NextWrite(Patience)));
        var clock = Stopwatch.StartNew();
        await cancellation.CancelAsync();
        var result = await run.WaitAsync(Patience);

        Assert.Equal(CommandStatus.Cancelled, result.Status);
        Assert.InRange(clock.ElapsedMilliseconds, 0, 5000);
    }

    [Fact]
    public async Task Command_WaitingOnAChannel_TimesOutAtItsDeadline()
    {
        var input = new QueueChannel("/ch/in", readable: true, writable: false);
        var output = new QueueChannel("/ch/out", readable: false, writable: true);
        using var command = fixture.Host.LoadCommand(Guests.Bytes("c-module"), "c-module", PluginLimits.Default with { TimeoutMs = 300 });

        var result = await Task.Run(() => command.Run(new CommandInput { Args = ["c-module", "echo", "/ch/in", "/ch/out", ""], Channels = [input, output] }))
            .WaitAsync(Patience);

        Assert.Equal(CommandStatus.Timeout, result.Status);
        Assert.Equal("timed out after 300 ms", result.Message);
    }

    [Fact]
    public void Command_WritingAReadOnlyChannel_IsRefusedAccess()
    {
        var input = new QueueChannel("/ch/in", readable: true, writable: false);
        var output = new QueueChannel("/ch/out", readable: true, writable: false);
        using var command = fixture.Host.LoadCommand(Guests.Bytes("c-module"), "c-module", PluginLimits.Default);

        var result = command.Run(new CommandInput { Args = ["c-module", "echo", "/ch/in", "/ch/out", ""], Channels = [input, output] });

        Assert.Equal(CommandStatus.Exited, result.Status);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("cannot open /ch/out: Permission denied\n", Encoding.UTF8.GetString(result.Stderr));
    }

    [Fact]
    public void Command_WithChannels_StillReadsItsFolderAndWritesStdout()
    {
        var input = new QueueChannel("/data/in", readable: true, writable: false);
        var output = new QueueChannel("/data/out", readable: false, writable: true);
        input.Add("through\n");
        input.End();
        using var command = fixture.Host.LoadCommand(Guests.Bytes("c-module"), "c-module", PluginLimits.Default);

        var result = command.Run(new CommandInput { Args = ["c-module", "echo", "/data/in", "/data/out", ""], Channels = [input, output] });

        Assert.Equal(CommandStatus.Exited, result.Status);
        Assert.Equal("through\n", output.NextWrite(TimeSpan.Zero));
        Assert.Equal("echoing /data/in to /data/out\ninput ended after 1 lines\n", Encoding.UTF8.GetString(result.Stdout));
    }
}
