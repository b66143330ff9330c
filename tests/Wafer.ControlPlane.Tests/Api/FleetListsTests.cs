using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Wafer.ControlPlane.Api;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.Shared;
using static Wafer.ControlPlane.Tests.Support.Fleets;

namespace Wafer.ControlPlane.Tests.Api;

/// <summary>The unfiltered lists written from kept JSON: the same bytes a fresh serialization gives, new ones whenever what they show changes.</summary>
public sealed class FleetListsTests
{
    private sealed class FixedAddress : IOrchestratorAddress
    {
        public string BaseUrl => "http://orchestrator.test";
    }

    private static readonly JsonSerializerOptions Web = new JsonOptions().SerializerOptions;

    private static FleetLists Lists() => new(Options.Create(new JsonOptions()), new FixedAddress());

    private static FleetSnapshot Fleet() => Snapshot(
        [Fleets.Runtime("a"), Fleets.Runtime("b"), Fleets.Runtime("c", state: RuntimeState.Offline)],
        [Deployment("web", replicas: 2), Deployment("api")],
        [Module("m1", "web", "a"), Module("m2", "web", "b", ModuleStatus.Pending), Module("m3", "api", "b"), Module("m4", "api", "c", ModuleStatus.Failed)]);

    /// <summary>The runtime list as the endpoint serialized it before it kept anything.</summary>
    private static string FreshRuntimes(FleetSnapshot fleet, bool addresses)
    {
        var runtimes = fleet.Runtimes.Values.OrderBy(r => r.Name, StringComparer.Ordinal).ThenBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => FleetViews.Runtime(fleet, r, null, addresses)).ToList();
        return JsonSerializer.Serialize(new RuntimeList(runtimes.Count, runtimes), Web);
    }

    private static string Text(SerializedList.Entry entry) => Encoding.UTF8.GetString(entry.Json);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Lists_AreWhatSerializingTheViewsGives(bool addresses)
    {
        var fleet = Fleet();
        var lists = Lists();
        var baseUrl = addresses ? "http://orchestrator.test" : null;

        Assert.Equal(FreshRuntimes(fleet, addresses), Text(lists.Runtimes(fleet, addresses)));
        Assert.Equal(JsonSerializer.Serialize(ModuleEndpoints.List(fleet, baseUrl, null, null), Web), Text(lists.Modules(fleet, addresses)));
        Assert.Equal(JsonSerializer.Serialize(DeploymentEndpoints.List(fleet, baseUrl), Web), Text(lists.Deployments(fleet, addresses)));
        Assert.Equal(addresses, Text(lists.Runtimes(fleet, addresses)).Contains("http://a.test", StringComparison.Ordinal));
    }

    [Fact]
    public void Keepalive_ChangesTheRuntimeList_AndKeepsTheModuleAndDeploymentLists()
    {
        var fleet = Fleet();
        var lists = Lists();
        var (runtimes, modules, deployments) = (lists.Runtimes(fleet, true), lists.Modules(fleet, true), lists.Deployments(fleet, true));
        var a = fleet.Runtimes["a"];

        var keepalive = fleet with { Version = 2, Runtimes = fleet.Runtimes.SetItem("a", a with { LastSeen = a.LastSeen.AddSeconds(5), Load = new(4, 0, 75, 100) }) };

        var after = lists.Runtimes(keepalive, true);
        Assert.NotEqual(runtimes.ETag, after.ETag);
        Assert.Equal(FreshRuntimes(keepalive, true), Text(after));
        Assert.Contains("\"cpuPercent\":75", Text(after), StringComparison.Ordinal);
        Assert.Same(modules, lists.Modules(keepalive, true));
        Assert.Same(deployments, lists.Deployments(keepalive, true));
        Assert.Same(after, lists.Runtimes(keepalive, true));
    }

    [Fact]
    public void ModuleOrRuntimeChange_ChangesEveryListShowingIt()
    {
        var fleet = Fleet();
        var lists = Lists();
        _ = (lists.Runtimes(fleet, false), lists.Modules(fleet, false), lists.Deployments(fleet, false));
        var running = fleet with { Version = 2, Modules = fleet.Modules.SetItem("m2", fleet.Modules["m2"] with { Status = ModuleStatus.Running }) };
        var draining = fleet with { Version = 3, Runtimes = fleet.Runtimes.SetItem("b", fleet.Runtimes["b"] with { State = RuntimeState.Draining, DrainRequested = true }) };
        var renamed = fleet with { Version = 4, Runtimes = fleet.Runtimes.SetItem("a", fleet.Runtimes["a"] with { Name = "alpha" }) };

        foreach (var changed in new[] { running, draining, renamed })
        {
            Assert.Equal(FreshRuntimes(changed, false), Text(lists.Runtimes(changed, false)));
            Assert.Equal(JsonSerializer.Serialize(ModuleEndpoints.List(changed, null, null, null), Web), Text(lists.Modules(changed, false)));
            Assert.Equal(JsonSerializer.Serialize(DeploymentEndpoints.List(changed, null), Web), Text(lists.Deployments(changed, false)));
        }

        Assert.Contains("\"running\"", Text(lists.Modules(running, false)), StringComparison.Ordinal);
        Assert.Contains("\"runtimeName\":\"alpha\"", Text(lists.Modules(renamed, false)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http_ETagAnswers304_UntilTheFleetChanges_AndFiltersStillWork()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl);
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey(runtime.Id), "the runtime joined");

        using var first = await host.Client.GetAsync("/api/modules");
        first.EnsureSuccessStatusCode();
        var etag = first.Headers.ETag ?? throw new InvalidOperationException("no ETag on /api/modules");
        Assert.Equal("application/json; charset=utf-8", first.Content.Headers.ContentType?.ToString());
        Assert.Equal(0, JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("count").GetInt32());

        using (var again = new HttpRequestMessage(HttpMethod.Get, "/api/modules"))
        {
            again.Headers.IfNoneMatch.Add(etag);
            using var notModified = await host.Client.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
            Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
        }

        var body = new { plugin = Convert.ToBase64String([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]), manifest = new { name = "web" }, replicas = 1 };
        using (var deployed = await host.Client.PostAsync("/api/deployments", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json")))
        {
            deployed.EnsureSuccessStatusCode();
        }

        // placed by a later pass when the orchestrator is still within its settle delay after start
        await Eventually.TrueAsync(() => host.View.Current.Modules.Count == 1, "the deployment's module placed");
        using var changed = new HttpRequestMessage(HttpMethod.Get, "/api/modules");
        changed.Headers.IfNoneMatch.Add(etag);
        using var fresh = await host.Client.SendAsync(changed);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.NotEqual(etag, fresh.Headers.ETag);
        var modules = JsonDocument.Parse(await fresh.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(1, modules.GetProperty("count").GetInt32());
        Assert.Equal("web", modules.GetProperty("modules")[0].GetProperty("deployment").GetString());

        var filtered = await host.GetJsonAsync("/api/modules?deployment=nothing-here");
        Assert.Equal(0, filtered.GetProperty("count").GetInt32());
        var runtimes = await host.GetJsonAsync("/api/runtimes?alive=true");
        Assert.Equal(1, runtimes.GetProperty("count").GetInt32());
        var all = await host.GetJsonAsync("/api/runtimes");
        Assert.Equal(1, all.GetProperty("runtimes")[0].GetProperty("children").GetArrayLength());
    }
}
