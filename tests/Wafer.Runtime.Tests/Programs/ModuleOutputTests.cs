using System.Net;
using System.Text;
using Wafer.Protocol.V1;
using Wafer.Runtime.Programs;
using Wafer.Runtime.Programs.Output;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Programs;

/// <summary>A program module's output on its runtime (<c>GET /api/modules/{uuid}/output</c>): there while it runs, bounded, kept after.</summary>
public sealed class ModuleOutputTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Output_OfARunningModule_ShowsItsFirstLineBeforeItEndsAndAllOfItAfter()
    {
        await using var server = await RuntimeServer.StartAsync(["c-module"]);
        await Eventually.TrueAsync(() => server.Catalog.Current.PluginsByName.ContainsKey("c-module"), "c-module loads", Bound);
        var programs = server.Services.GetRequiredService<ProgramRunner>();
        var module = Guid.NewGuid().ToString();
        var exited = new TaskCompletionSource<ModuleExitedBody>(TaskCreationOptions.RunContinuationsAsynchronously);

        programs.Start(module, "c-module", new ProgramBody(["ticks", "3", "1500"], [], []), new ProgramReports(_ => Task.CompletedTask, e =>
        {
            exited.TrySetResult(e);
            return Task.CompletedTask;
        }));
        JsonElement live = default;
        await Eventually.TrueAsync(() =>
        {
            live = GetOutputAsync(server, module).GetAwaiter().GetResult();
            return live.GetProperty("stdout").GetString()!.Contains("tick 1", StringComparison.Ordinal);
        }, "the first line shows", Bound);

        Assert.True(live.GetProperty("running").GetBoolean()); // two pauses of 1.5 s were still ahead
        Assert.False(exited.Task.IsCompleted);
        await exited.Task.WaitAsync(Bound);
        var after = await GetOutputAsync(server, module);
        Assert.False(after.GetProperty("running").GetBoolean());
        Assert.Equal(1, after.GetProperty("run").GetInt32());
        Assert.Equal("tick 1\ntick 2\ntick 3\n", after.GetProperty("stdout").GetString());
        Assert.Equal("tock 1\ntock 2\ntock 3\n", after.GetProperty("stderr").GetString());
        Assert.False(after.GetProperty("stdoutTruncated").GetBoolean());

        programs.Stop(module);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/api/modules/{module}/output")).StatusCode);
    }

    [Fact]
    public async Task Output_OfARunningModule_IsPublishedLineByLineOnItsTopicsWhileItRuns()
    {
        var broker = Environment.GetEnvironmentVariable("WAFER_TEST_MQTT")
                     ?? throw new InvalidOperationException("WAFER_TEST_MQTT must name the test broker (mqtt://user:password@127.0.0.1:PORT)");
        await using var server = await RuntimeServer.StartAsync(["c-module"], o => o.Triggers.Mqtt = broker);
        await Eventually.TrueAsync(() => server.Catalog.Current.PluginsByName.ContainsKey("c-module"), "c-module loads", Bound);
        var module = Guid.NewGuid().ToString();
        var (stdoutTopic, stderrTopic) = (OutputTopics.Stdout("realm", module), OutputTopics.Stderr("realm", module));
        Assert.Equal($"realm/module/{module}/stdout", stdoutTopic);
        await using var probe = await Triggers.MqttProbe.ConnectAsync(broker, $"realm/module/{module}/+");
        var exited = new TaskCompletionSource<ModuleExitedBody>(TaskCreationOptions.RunContinuationsAsynchronously);

        server.Services.GetRequiredService<ProgramRunner>().Start(module, "c-module", new ProgramBody(["ticks", "3", "1500"], [], []),
            new ProgramReports(_ => Task.CompletedTask, e =>
            {
                exited.TrySetResult(e);
                return Task.CompletedTask;
            }));

        var first = await probe.WaitForAsync(stdoutTopic, 1, Bound);
        Assert.Equal("tick 1", Triggers.MqttProbe.Text(first[0]));
        Assert.False(exited.Task.IsCompleted); // two pauses of 1.5 s were still ahead
        Assert.Equal(["tick 1", "tick 2", "tick 3"], (await probe.WaitForAsync(stdoutTopic, 3, Bound)).Select(Triggers.MqttProbe.Text));
        Assert.Equal(["tock 1", "tock 2", "tock 3"], (await probe.WaitForAsync(stderrTopic, 3, Bound)).Select(Triggers.MqttProbe.Text));
        await exited.Task.WaitAsync(Bound);
    }

    [Fact]
    public async Task Output_OfAnUnknownModule_Is404()
    {
        await using var server = await RuntimeServer.StartAsync([]);

        var response = await server.Client.GetAsync($"/api/modules/{Guid.NewGuid()}/output");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("runs or ran here", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void Tail_BeyondItsCapacity_KeepsTheLast64KiB()
    {
        var tail = new OutputTail();
        for (var i = 0; i < 1000; i++)
        {
            tail.Append(Encoding.UTF8.GetBytes($"line {i:D4} é\n")); // 13 bytes each
        }

        tail.Append(new byte[100_000].Select(_ => (byte)'x').ToArray());
        tail.Append("end\n"u8);
        var (text, truncated, total) = tail.Read();

        Assert.True(truncated);
        Assert.Equal((1000 * 13) + 100_000 + 4, total);
        Assert.Equal(OutputTail.Capacity, Encoding.UTF8.GetByteCount(text));
        Assert.EndsWith(new string('x', 1000) + "end\n", text, StringComparison.Ordinal);
    }

    private static async Task<JsonElement> GetOutputAsync(RuntimeServer server, string module)
    {
        var response = await server.Client.GetAsync($"/api/modules/{module}/output");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
