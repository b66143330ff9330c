using System.Collections.Concurrent;
using System.Net;
using System.Text;
using MQTTnet;
using MQTTnet.Protocol;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>
/// Program modules through faults, with real orchestrator and runtime processes over the real Mosquitto
/// (docs/silverline.md, "State"): a runtime restarted on its storage runs its programs again, a wall-clock limit stops a
/// run, a runtime killed with SIGKILL moves its <c>always</c> module to another runtime and loses its <c>never</c> one, and
/// deleting a running module stops its guest.
/// Each fleet has its own broker (the orchestrator's in-process one): runtimes of other fleets on a shared broker would
/// be placement candidates too.
/// </summary>
[Trait("Category", "Fleet")]
public sealed class SilverLineLifecycleTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    /// <summary>Every <c>exited</c> notification on <c>realm/proc/notif</c>, as <c>data</c>.</summary>
    private sealed class Notifications : IAsyncDisposable
    {
        private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();

        public ConcurrentQueue<JsonElement> Received { get; } = new();

        public static async Task<Notifications> ListenAsync(FleetCluster cluster)
        {
            var listener = new Notifications();
            listener._client.ApplicationMessageReceivedAsync += e =>
            {
                listener.Received.Enqueue(JsonDocument.Parse(Encoding.UTF8.GetString(e.ApplicationMessage.Payload)).RootElement.GetProperty("data").Clone());
                return Task.CompletedTask;
            };
            var broker = new Uri(cluster.BrokerUrl);
            var options = new MqttClientOptionsBuilder().WithTcpServer(broker.Host, broker.Port);
            if (broker.UserInfo.Split(':', 2) is [var user, var password])
            {
                options.WithCredentials(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password));
            }

            await listener._client.ConnectAsync(options.Build());
            await listener._client.SubscribeAsync("realm/proc/notif", MqttQualityOfServiceLevel.AtLeastOnce);
            return listener;
        }

        public async Task<JsonElement> NextAsync(string uuid, string what, FleetCluster cluster)
        {
            JsonElement found = default;
            await Eventually.TrueAsync(() =>
            {
                while (Received.TryDequeue(out var data))
                {
                    if (data.GetProperty("uuid").GetString() == uuid)
                    {
                        found = data;
                        return Task.FromResult(true);
                    }
                }

                return Task.FromResult(false);
            }, what, Bound, cluster.Logs);
            return found;
        }

        public async ValueTask DisposeAsync()
        {
            await _client.DisconnectAsync();
            _client.Dispose();
        }
    }

    private static async Task<string> CreateAsync(FleetCluster cluster, string body, string file = "c-job")
    {
        var uuid = Guid.NewGuid().ToString("D");
        using var response = await cluster.Api.PostAsync("/api/modules",
            new StringContent($$"""{"uuid":"{{uuid}}","file":"{{file}}",{{body}}}""", Encoding.UTF8, "application/json"));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return uuid;
    }

    [Fact]
    public async Task RuntimeRestart_SameStorage_ItsAlwaysProgramRunsAgain()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 1, inProcessBroker: true);
        await cluster.UploadAsync("c-job", "c-job");
        await using var notifications = await Notifications.ListenAsync(cluster);
        var uuid = await CreateAsync(cluster, """ "parent":"rt-1","args":{"argv":["hello"]},"restart":"always" """);
        var first = await notifications.NextAsync(uuid, "the first run's exited notification", cluster);
        Assert.True(first.GetProperty("restarting").GetBoolean());

        cluster.Kill(cluster.Runtimes["rt-1"]);
        Assert.True(await cluster.Runtimes["rt-1"].WaitForExitAsync(Bound), "the killed runtime exits");
        notifications.Received.Clear();
        cluster.StartRuntime("rt-1");

        // Run 1 again: the restarted process runs the program it kept (the killed one's runs counted past 1).
        await Eventually.TrueAsync(async () =>
        {
            var data = await notifications.NextAsync(uuid, "an exited notification after the restart", cluster);
            return data.GetProperty("run").GetInt32() == 1 && data.GetProperty("stdout").GetString() == "hello from a job\n";
        }, "the restarted runtime runs the program again", Bound, cluster.Logs);
    }

    [Fact]
    public async Task WallClockSeconds_BusyProgram_StoppedWithWallClockLimitAndEnded()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 1, inProcessBroker: true);
        await cluster.UploadAsync("c-job", "c-job");
        await using var notifications = await Notifications.ListenAsync(cluster);
        // The manifest's own timeoutMs is 3 s: the module's 1 s stops the busy loop first.
        var uuid = await CreateAsync(cluster, """ "args":{"argv":["loop"]},"wallClockSeconds":1 """);

        var data = await notifications.NextAsync(uuid, "the exited notification", cluster);

        Assert.Equal("wall_clock_limit", data.GetProperty("state").GetString());
        Assert.Equal("stopped after 1 s, the module's wallClockSeconds", data.GetProperty("reason").GetString());
        Assert.False(data.GetProperty("restarting").GetBoolean());
        await Eventually.TrueAsync(async () => (await cluster.GetJsonAsync($"/api/modules/{uuid}")).GetProperty("state").GetString() == "exited",
            "the module's state is exited", Bound, cluster.Logs);
        Assert.Equal("wall_clock_limit", (await cluster.GetJsonAsync($"/api/modules/{uuid}")).GetProperty("ended").GetString());
    }

    [Fact]
    public async Task RuntimeKilled_AlwaysModuleRunsAgainOnTheOther_NeverModuleLost()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 1, inProcessBroker: true);
        await cluster.UploadAsync("c-job", "c-job");
        await using var notifications = await Notifications.ListenAsync(cluster);
        var always = await CreateAsync(cluster, """ "args":{"argv":["hello"]},"restart":"always" """);
        await notifications.NextAsync(always, "the always module's first exit", cluster);
        // c-job with room for a long sleep: it still runs when its runtime is killed.
        await cluster.DeployWithManifestAsync("sleeper", "c-job", 0, """{"name":"sleeper","type":"command","limits":{"timeoutMs":120000,"memoryMb":16}}""");
        var never = await CreateAsync(cluster, """ "args":{"argv":["sleep","100"]},"restart":"never" """, "sleeper");
        await Eventually.TrueAsync(async () => (await cluster.GetJsonAsync($"/api/modules/{never}")).GetProperty("state").GetString() == "running",
            "the never module runs", Bound, cluster.Logs);
        cluster.StartRuntime("rt-2");
        await cluster.WaitForRuntimesAsync(2, Bound);
        var survivor = cluster.RuntimeId("rt-2");

        cluster.Kill(cluster.Runtimes["rt-1"]);
        notifications.Received.Clear();

        await Eventually.TrueAsync(async () => (await cluster.GetJsonAsync($"/api/modules/{never}")).GetProperty("state").GetString() == "lost",
            "the never module is lost", Bound, cluster.Logs);
        var lost = await cluster.GetJsonAsync($"/api/modules/{never}");
        Assert.Equal(cluster.RuntimeId("rt-1"), lost.GetProperty("parent").GetString());
        Assert.Contains("was lost while it ran; its restart policy is never", lost.GetProperty("reason").GetString(), StringComparison.Ordinal);
        await Eventually.TrueAsync(async () =>
        {
            var data = await notifications.NextAsync(always, "the always module's exit on the survivor", cluster);
            return data.GetProperty("run").GetInt32() == 1 && (await cluster.GetJsonAsync($"/api/modules/{always}")).GetProperty("parent").GetString() == survivor;
        }, "the always module runs again on the survivor under its uuid", Bound, cluster.Logs);
        Assert.Equal("lost", (await cluster.GetJsonAsync($"/api/modules/{never}")).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Delete_RunningModule_StopsItsGuest_AndItsRecordAndOutputGo()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 1, inProcessBroker: true);
        await using var notifications = await Notifications.ListenAsync(cluster);
        // c-job with room for a long sleep: without the delete it would still be running when the test ends.
        await cluster.DeployWithManifestAsync("sleeper", "c-job", 0, """{"name":"sleeper","type":"command","limits":{"timeoutMs":120000,"memoryMb":16}}""");
        var uuid = await CreateAsync(cluster, """ "args":{"argv":["sleep","100"]},"restart":"always" """, "sleeper");
        await Eventually.TrueAsync(async () => (await cluster.GetJsonAsync($"/api/modules/{uuid}")).GetProperty("state").GetString() == "running",
            "the module runs", Bound, cluster.Logs);
        var runtimeUrl = (await cluster.GetJsonAsync("/api/runtimes")).GetProperty("runtimes")[0].GetProperty("url").GetString()!;
        using var runtime = new HttpClient { BaseAddress = new Uri(runtimeUrl), Timeout = TimeSpan.FromSeconds(30) };
        async Task<JsonElement?> JobAsync() => JsonDocument.Parse(await runtime.GetStringAsync("/jobs?limit=500")).RootElement.GetProperty("items")
            .EnumerateArray().Where(j => j.GetProperty("plugin").GetString() == uuid).Select(j => (JsonElement?)j.Clone()).FirstOrDefault();

        // While it runs, its output is there, through the orchestrator too.
        await Eventually.TrueAsync(async () => (await cluster.GetJsonAsync($"/api/modules/{uuid}/output")).GetProperty("stdout").GetString() == "sleeping\n",
            "the module's first line is kept", Bound, cluster.Logs);
        Assert.True((await cluster.GetJsonAsync($"/api/modules/{uuid}/output")).GetProperty("running").GetBoolean());
        Assert.Equal("running", (await JobAsync())?.GetProperty("status").GetString());

        using var deleted = await cluster.Api.DeleteAsync($"/api/modules/{uuid}");
        Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync());

        await Eventually.TrueAsync(async () => (await JobAsync())?.GetProperty("status").GetString() is { } status && status != "running",
            "the guest stops long before its 100 s sleep ends", Bound, cluster.Logs);
        await Eventually.TrueAsync(async () =>
        {
            using var gone = await cluster.Api.GetAsync($"/api/modules/{uuid}");
            return gone.StatusCode == HttpStatusCode.NotFound;
        }, "the module is gone from the orchestrator", Bound, cluster.Logs);
        using var output = await runtime.GetAsync($"/api/modules/{uuid}/output");
        Assert.Equal(HttpStatusCode.NotFound, output.StatusCode);
        Assert.DoesNotContain(notifications.Received, n => n.GetProperty("uuid").GetString() == uuid); // a deleted module is not reported exited
    }
}
