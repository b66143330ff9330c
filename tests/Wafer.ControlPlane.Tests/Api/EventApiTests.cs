using System.Net;
using System.Text;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Api;

/// <summary>
/// <c>GET /api/events</c>: the reconciler's named log events as the fleet's event feed, oldest first, read on from the
/// last id seen; kept even when the console shows warnings only (the test host logs at Warning).
/// </summary>
public sealed class EventApiTests
{
    [Fact]
    public async Task Events_TellWhatHappenedToARuntimeAndADeployment_AndReadOnFromTheLastId()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl);
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey(runtime.Id), "the runtime joined");
        var before = await ReadAsync(host, "/api/events");
        var seen = before.GetProperty("last").GetInt64();
        Assert.Contains(Names(before), n => n == "RuntimeAnnounced");

        var body = JsonSerializer.Serialize(new { name = "web", plugin = Convert.ToBase64String([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]), replicas = 1 });
        using var deployed = await host.Client.PostAsync("/api/deployments", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(deployed.IsSuccessStatusCode, await deployed.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(() => host.View.Current.Modules.Values.Any(m => m.Deployment == "web" && m.Status == ModuleStatus.Running), "web runs");

        JsonElement after = default;
        await Eventually.TrueAsync(async () => Names(after = await ReadAsync(host, $"/api/events?after={seen}")).Contains("ModuleRunning"), "the module's running event is in the feed");
        var events = after.GetProperty("events").EnumerateArray().ToList();
        Assert.All(events, e => Assert.True(e.GetProperty("id").GetInt64() > seen));
        Assert.Equal(events.Select(e => e.GetProperty("id").GetInt64()).Order().ToArray(), events.Select(e => e.GetProperty("id").GetInt64()).ToArray());
        var applied = Assert.Single(events, e => e.GetProperty("name").GetString() == "DeploymentApplied");
        Assert.Equal(("information", "web"), (applied.GetProperty("level").GetString(), applied.GetProperty("fields").GetProperty("Deployment").GetString()));
        Assert.StartsWith("Deployment web -> ", applied.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(["DeploymentApplied", "ModulePlaced", "ModuleRunning"], Names(after).Where(n => n is "DeploymentApplied" or "ModulePlaced" or "ModuleRunning").ToArray());

        var nothingNew = await ReadAsync(host, $"/api/events?after={after.GetProperty("last").GetInt64()}");
        Assert.Empty(nothingNew.GetProperty("events").EnumerateArray());
        var newest = await ReadAsync(host, "/api/events?limit=1");
        Assert.Equal(newest.GetProperty("last").GetInt64(), Assert.Single(newest.GetProperty("events").EnumerateArray()).GetProperty("id").GetInt64());
    }

    [Theory]
    [InlineData("/api/events?limit=0")]
    [InlineData("/api/events?limit=1001")]
    [InlineData("/api/events?after=-1")]
    public async Task Events_OutOfRangeParameters_Are400(string path)
    {
        await using var host = await OrchestratorHost.StartAsync();
        using var response = await host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'limit' from 1 to 1000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static List<string> Names(JsonElement list) => list.ValueKind == JsonValueKind.Undefined
        ? []
        : list.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToList();

    private static async Task<JsonElement> ReadAsync(OrchestratorHost host, string path)
    {
        using var response = await host.Client.GetAsync(path);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
