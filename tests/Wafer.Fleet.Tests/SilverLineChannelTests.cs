using System.Collections.Concurrent;
using System.Net;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>
/// A program module's channels end to end with real processes: an orchestrator with its in-process broker, a runtime
/// process, and a client of that broker. The C guest c-module echoes each line of its input channel to its output
/// channel; deleting the module ends its run.
/// </summary>
[Trait("Category", "Fleet")]
public sealed class SilverLineChannelTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Module_EchoingAChannel_AnswersAClientOnTheBroker_AndDeletingItEndsItsRun()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 1, inProcessBroker: true);
        await cluster.UploadAsync("c-module", "c-module");
        var prefix = "echo-" + Guid.NewGuid().ToString("N")[..8];
        var echoes = new ConcurrentQueue<string>();
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            echoes.Enqueue(Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            return Task.CompletedTask;
        };
        var broker = new Uri(cluster.BrokerUrl);
        var options = new MqttClientOptionsBuilder().WithTcpServer(broker.Host, broker.Port);
        if (broker.UserInfo.Split(':', 2) is [var user, var password])
        {
            options.WithCredentials(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
        }

        await client.ConnectAsync(options.Build());
        await client.SubscribeAsync(prefix + "/out", MqttQualityOfServiceLevel.AtLeastOnce);

        var uuid = Guid.NewGuid().ToString("D");
        using var created = await cluster.Api.PostAsync("/api/modules", new StringContent($$"""
            {"uuid":"{{uuid}}","file":"c-module","args":{"argv":["echo","/ch/in","/ch/out","echo: "]},
             "channels":[{"path":"/ch/in","mode":"r","topic":"{{prefix}}/in"},{"path":"/ch/out","mode":"w","topic":"{{prefix}}/out"}]}
            """, Encoding.UTF8, "application/json"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        // Messages published before the runtime subscribed are not seen: ping until one comes back.
        await Eventually.TrueAsync(async () =>
        {
            await client.PublishStringAsync(prefix + "/in", "ping", MqttQualityOfServiceLevel.AtLeastOnce);
            await Task.Delay(200);
            return echoes.Contains("echo: ping");
        }, "the module answers on its output channel", Bound, cluster.Logs);
        echoes.Clear();
        foreach (var text in new[] { "one", "two", "three" })
        {
            await client.PublishStringAsync(prefix + "/in", text, MqttQualityOfServiceLevel.AtLeastOnce);
        }

        await Eventually.TrueAsync(() => Task.FromResult(echoes.Count(e => e != "echo: ping") >= 3), "three echoes", Bound, cluster.Logs);
        Assert.Equal(["echo: one", "echo: two", "echo: three"], echoes.Where(e => e != "echo: ping").ToArray());

        using var deleted = await cluster.Api.DeleteAsync($"/api/modules/{uuid}");
        Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync());
        var runtimeUrl = (await cluster.GetJsonAsync("/api/runtimes")).GetProperty("runtimes")[0].GetProperty("url").GetString()!;
        using var runtime = new HttpClient { BaseAddress = new Uri(runtimeUrl), Timeout = TimeSpan.FromSeconds(30) };
        await Eventually.TrueAsync(async () => JsonDocument.Parse(await runtime.GetStringAsync("/jobs?limit=500")).RootElement.GetProperty("items").EnumerateArray()
                .Single(j => j.GetProperty("plugin").GetString() == uuid).GetProperty("status").GetString() != "running",
            "the deleted module's run ends (its reads end, the guest is stopped)", Bound, cluster.Logs);
        echoes.Clear();
        await client.PublishStringAsync(prefix + "/in", "after", MqttQualityOfServiceLevel.AtLeastOnce);
        await Task.Delay(1000); // nothing may answer any more
        Assert.Empty(echoes);
    }
}
