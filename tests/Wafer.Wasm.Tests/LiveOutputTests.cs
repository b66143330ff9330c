using System.Collections.Concurrent;
using System.Text;
using Wafer.Protocol.Manifest;
using Wafer.Wasm.Tests.Support;
using Wafer.Wasm.Wasi;

namespace Wafer.Wasm.Tests;

/// <summary>A command run's stdout and stderr heard while it runs, beside what the result keeps.</summary>
public sealed class LiveOutputTests(HostFixture fixture)
{
    [Fact]
    public async Task Command_PrintingWithPauses_IsHeardBeforeItEnds()
    {
        var stdout = new BlockingCollection<string>();
        var stderr = new ConcurrentQueue<string>();
        using var command = fixture.Host.LoadCommand(Guests.Bytes("c-module"), "c-module", PluginLimits.Default with { TimeoutMs = 60_000 });

        var run = Task.Factory.StartNew(
            () => command.Run(new CommandInput
            {
                Args = ["c-module", "ticks", "3", "1500"],
                StdoutObserver = data => stdout.Add(Encoding.UTF8.GetString(data)),
                StderrObserver = data => stderr.Enqueue(Encoding.UTF8.GetString(data)),
            }),
            TaskCreationOptions.LongRunning);

        Assert.True(stdout.TryTake(out var first, TimeSpan.FromSeconds(20)));
        Assert.StartsWith("tick 1", first); // one write may come in pieces
        Assert.False(run.IsCompleted); // two pauses of 1.5 s are still ahead
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CommandStatus.Exited, result.Status);
        Assert.Equal("tick 1\ntick 2\ntick 3\n", first + string.Concat(stdout));
        Assert.Equal("tock 1\ntock 2\ntock 3\n", string.Concat(stderr));
        Assert.Equal("tick 1\ntick 2\ntick 3\n", Encoding.UTF8.GetString(result.Stdout));
    }

    [Fact]
    public void Command_ObserverThatThrows_DoesNotCloseTheGuestsStream()
    {
        using var command = fixture.Host.LoadCommand(Guests.Bytes("c-module"), "c-module", PluginLimits.Default);

        var result = command.Run(new CommandInput { Args = ["c-module", "ticks", "2", "0"], StdoutObserver = _ => throw new InvalidOperationException("observer fault") });

        Assert.Equal(CommandStatus.Exited, result.Status);
        Assert.Equal("tick 1\ntick 2\n", Encoding.UTF8.GetString(result.Stdout));
    }
}
