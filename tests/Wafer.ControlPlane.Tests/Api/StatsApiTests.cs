using System.Text;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Api;

public sealed class StatsApiTests
{
    [Fact]
    public async Task Stats_AfterADeployment_CountsTheFleetAndMeasuresLag()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl);
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey(runtime.Id), "the runtime joined");
        var body = new { plugin = Convert.ToBase64String([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]), manifest = new { name = "web" }, replicas = 1 };
        using var response = await host.Client.PostAsync("/api/deployments", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/api/stats")).GetProperty("fleet").GetProperty("modulesRunning").GetInt32() == 1,
            "the stats count the running module");

        var stats = await host.GetJsonAsync("/api/stats");

        var fleet = stats.GetProperty("fleet");
        Assert.Equal(1, fleet.GetProperty("deployments").GetInt32());
        Assert.Equal(1, fleet.GetProperty("runtimesAlive").GetInt32());
        Assert.Equal(0, fleet.GetProperty("modulesPending").GetInt32());
        var reconciler = stats.GetProperty("reconciler");
        Assert.True(reconciler.GetProperty("events").GetInt64() >= 3, reconciler.ToString()); // announce, deploy, module_running at least
        Assert.InRange(reconciler.GetProperty("lagP50Ms").GetDouble(), 0.0001, 30_000);
        Assert.True(reconciler.GetProperty("lagMaxMs").GetDouble() >= reconciler.GetProperty("lagP99Ms").GetDouble());
        Assert.True(reconciler.GetProperty("busyMs").GetDouble() > 0);
    }
}
