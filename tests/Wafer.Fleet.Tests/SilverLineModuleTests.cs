using System.Collections.Concurrent;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>
/// A SilverLine client against a real orchestrator and runtime process over the real Mosquitto (docs/silverline.md):
/// it publishes SilverLine's exact create request for a C program with args and env, and gets the answer on
/// <c>realm/proc/control</c> and the program's output and exit code in the <c>exited</c> notification on
/// <c>realm/proc/notif</c>.
/// </summary>
[Trait("Category", "Fleet")]
public sealed class SilverLineModuleTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task ClientCreate_CProgramWithArgsAndEnv_ItsOutputAndExitNotified()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 1);
        await cluster.UploadAsync("polybench", "c-job");
        var received = new ConcurrentQueue<(string Topic, string Payload)>();
        var broker = new Uri(Repository.BrokerUrl);
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            received.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload)));
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder().WithTcpServer(broker.Host, broker.Port).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500);
        if (broker.UserInfo.Split(':', 2) is [var user, var password])
        {
            options.WithCredentials(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
        }

        await client.ConnectAsync(options.Build());
        await client.SubscribeAsync("realm/proc/control", MqttQualityOfServiceLevel.AtLeastOnce);
        await client.SubscribeAsync("realm/proc/notif", MqttQualityOfServiceLevel.AtLeastOnce);
        var uuid = Guid.NewGuid().ToString("D");
        var objectId = Guid.NewGuid().ToString("D");

        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("realm/proc/control").WithPayload($$$"""
            {"object_id":"{{{objectId}}}","action":"create","type":"req","data":{"type":"module","uuid":"{{{uuid}}}","name":"2mm",
             "parent":"rt-1","file":"wasm/polybench/polybench.wasm","apis":["wasm","wasi"],
             "args":{"argv":["env","SEED","MODE"],"env":["SEED=7","MODE=bench"]},"channels":[]}}
            """).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

        JsonElement answer = default, exited = default;
        await Eventually.TrueAsync(() => Task.FromResult(received.Any(m => m.Topic == "realm/proc/control"
            && (answer = JsonDocument.Parse(m.Payload).RootElement.Clone()).GetProperty("type").GetString() == "resp"
            && answer.GetProperty("object_id").GetString() == objectId)), "the answer to the create", Bound, cluster.Logs);
        Assert.Equal("ok", answer.GetProperty("data").GetProperty("result").GetString());
        await Eventually.TrueAsync(() => Task.FromResult(received.Any(m => m.Topic == "realm/proc/notif"
            && (exited = JsonDocument.Parse(m.Payload).RootElement.Clone()).GetProperty("data").GetProperty("uuid").GetString() == uuid)),
            "the exited notification", Bound, cluster.Logs);
        var data = exited.GetProperty("data");
        Assert.Equal("exited", exited.GetProperty("action").GetString());
        Assert.Equal(0, data.GetProperty("exit_code").GetInt32());
        Assert.Equal("environ=2\nSEED=7\nMODE=bench\n", data.GetProperty("stdout").GetString());
        // The notification goes out as the orchestrator records the exit: wait for the record.
        await Eventually.TrueAsync(async () => (await cluster.GetJsonAsync($"/api/modules/{uuid}")).GetProperty("state").GetString() == "exited",
            "the module's state is exited", Bound, cluster.Logs);
        var module = await cluster.GetJsonAsync($"/api/modules/{uuid}");
        Assert.Equal(cluster.RuntimeId("rt-1"), module.GetProperty("parent").GetString());
        Assert.Equal("run 1 exited with code 0", module.GetProperty("reason").GetString());
        Assert.Equal(0, module.GetProperty("exitCode").GetInt32());
    }
}
