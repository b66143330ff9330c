using System.Collections.Concurrent;
using Wafer.Protocol.V1;
using Wafer.Runtime.Programs;
using Wafer.Runtime.Programs.Channels;
using Wafer.Runtime.Tests.Support;
using Wafer.Runtime.Tests.Triggers;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Programs;

/// <summary>
/// A program module's channels on a runtime with the test Mosquitto (<c>WAFER_TEST_MQTT</c>, as <c>--mqtt</c>): the C
/// guest c-module echoes the lines of its input channel to its output channel; the test's own client publishes and
/// reads. Each test uses topics under a prefix of its own.
/// </summary>
public sealed class ModuleChannelTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static string BrokerUrl => Environment.GetEnvironmentVariable("WAFER_TEST_MQTT")
                                       ?? throw new InvalidOperationException("WAFER_TEST_MQTT must name the test broker (mqtt://user:password@127.0.0.1:PORT)");

    [Fact]
    public async Task Module_EchoingItsChannel_PublishesEachLineAndEndsWhenStopped()
    {
        var prefix = "wafer-tests/channels/" + Guid.NewGuid().ToString("N")[..10];
        await using var server = await RuntimeServer.StartAsync(["c-module"], o => o.Triggers.Mqtt = BrokerUrl);
        await Eventually.TrueAsync(() => server.Catalog.Current.PluginsByName.ContainsKey("c-module"), "c-module loads", Bound);
        await using var probe = await MqttProbe.ConnectAsync(BrokerUrl, prefix + "/out");
        var programs = server.Services.GetRequiredService<ProgramRunner>();
        var channels = server.Services.GetRequiredService<ChannelClient>();
        var exits = new ConcurrentQueue<ModuleExitedBody>();
        var module = Guid.NewGuid().ToString();

        programs.Start(module, "c-module", new ProgramBody(
            ["echo", "/ch/in", "/ch/out", "echo: "], [],
            [new ChannelBody("/ch/in", "r", prefix + "/in"), new ChannelBody("/ch/out", "w", prefix + "/out")]), new ProgramReports(_ => Task.CompletedTask, e =>
        {
            exits.Enqueue(e);
            return Task.CompletedTask;
        }));
        await Eventually.TrueAsync(() => channels.IsSubscribed([prefix + "/in"]), "the input channel's topic is subscribed", Bound);
        foreach (var text in new[] { "one", "two", "three" })
        {
            await probe.PublishAsync(prefix + "/in", System.Text.Encoding.UTF8.GetBytes(text));
        }

        var echoes = await probe.WaitForAsync(prefix + "/out", 3, Bound);
        Assert.Equal(["echo: one", "echo: two", "echo: three"], echoes.Select(MqttProbe.Text));

        programs.Stop(module);
        // The run's end unbinds its channels: the input topic is given up.
        await Eventually.TrueAsync(() => !channels.IsSubscribed([prefix + "/in"]), "the stopped module's channel is unbound", Bound);
        Assert.Empty(exits); // a stopped module is reported by whoever stopped it
    }

    [Fact]
    public async Task Module_ReadingAnRwChannel_DoesNotHearItsOwnWrites()
    {
        var prefix = "wafer-tests/channels/" + Guid.NewGuid().ToString("N")[..10];
        await using var server = await RuntimeServer.StartAsync(["c-module"], o => o.Triggers.Mqtt = BrokerUrl);
        await Eventually.TrueAsync(() => server.Catalog.Current.PluginsByName.ContainsKey("c-module"), "c-module loads", Bound);
        await using var probe = await MqttProbe.ConnectAsync(BrokerUrl, prefix + "/chat");
        var programs = server.Services.GetRequiredService<ProgramRunner>();
        var channels = server.Services.GetRequiredService<ChannelClient>();
        var module = Guid.NewGuid().ToString();

        programs.Start(module, "c-module", new ProgramBody(
            ["echo", "/chat", "/chat", "re: "], [], [new ChannelBody("/chat", "rw", prefix + "/chat")]), new ProgramReports(_ => Task.CompletedTask, _ => Task.CompletedTask));
        await Eventually.TrueAsync(() => channels.IsSubscribed([prefix + "/chat"]), "the channel's topic is subscribed", Bound);
        await probe.PublishAsync(prefix + "/chat", "hello"u8.ToArray());

        await probe.WaitForAsync(prefix + "/chat", 2, Bound); // the probe's own message and the module's answer
        await Task.Delay(1000); // what would follow if the module heard its answer: "re: re: hello", and so on
        programs.Stop(module);
        Assert.Equal(["hello", "re: hello"], probe.Received.Where(m => m.Topic == prefix + "/chat").Select(MqttProbe.Text));
    }
}
