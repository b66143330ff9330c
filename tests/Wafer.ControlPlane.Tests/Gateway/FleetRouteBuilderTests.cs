using System.Text;
using Wafer.ControlPlane.Artifacts;
using Wafer.ControlPlane.Gateway;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Protocol.Routes;
using static Wafer.ControlPlane.Tests.Support.Fleets;

namespace Wafer.ControlPlane.Tests.Gateway;

/// <summary>What the gateway may route to, from one fleet snapshot.</summary>
public sealed class FleetRouteBuilderTests
{
    private static FleetRouteBuilder Builder(out ArtifactFiles artifacts)
    {
        artifacts = new ArtifactFiles(TestDatabases.TempFolder());
        return new FleetRouteBuilder(artifacts);
    }

    private static string[] Replicas(RouteDocument routes, string deployment) =>
        [.. routes.Deployments.Single(d => d.Name == deployment).Replicas.Select(r => r.Runtime)];

    [Fact]
    public void Build_OnlyRunningModulesOnOnlineRuntimes_AreReplicas()
    {
        var fleet = Snapshot(
            [Fleets.Runtime("a") with { H2cUrl = "http://a.test:9000" }, Fleets.Runtime("b", state: RuntimeState.Offline), Fleets.Runtime("c"), Fleets.Runtime("d")],
            [Deployment("web", replicas: 4)],
            [Module("m1", "web", "a"), Module("m2", "web", "b"), Module("m3", "web", "c", ModuleStatus.Pending), Module("m4", "web", "d", ModuleStatus.Deleting)]);

        var routes = Builder(out _).Build(fleet with { Version = 42 });

        Assert.Equal(42, routes.Version);
        Assert.Equal(["a"], Replicas(routes, "web"));
        Assert.Equal("http://a.test", routes.Deployments.Single().Replicas.Single().Url);
        Assert.Equal("http://a.test:9000", routes.Deployments.Single().Replicas.Single().H2cUrl);
    }

    [Fact]
    public void SameInputs_KeepaliveOnlyChanges_True_RouteRelevantChanges_False()
    {
        var fleet = Snapshot([Fleets.Runtime("a"), Fleets.Runtime("b")], [Deployment("web", replicas: 2)], [Module("m1", "web", "a"), Module("m2", "web", "b")]);
        var a = fleet.Runtimes["a"];

        var keepalive = fleet with { Version = 2, Runtimes = fleet.Runtimes.SetItem("a", a with { Load = new(3, 50, 80, 200), LastSeen = a.LastSeen.AddSeconds(5) }) };
        var draining = fleet with { Runtimes = fleet.Runtimes.SetItem("a", a with { State = RuntimeState.Draining }) };
        var moved = fleet with { Runtimes = fleet.Runtimes.SetItem("a", a with { Url = "http://a2.test" }) };
        var h2c = fleet with { Runtimes = fleet.Runtimes.SetItem("a", a with { H2cUrl = "http://a.test:9000" }) };
        var gone = fleet with { Runtimes = fleet.Runtimes.Remove("b") };
        var failed = fleet with { Modules = fleet.Modules.SetItem("m1", fleet.Modules["m1"] with { Status = ModuleStatus.Failed }) };
        var redeployed = fleet with { Deployments = fleet.Deployments.SetItem("web", Deployment("web", replicas: 2, hash: 'b')) };

        Assert.True(FleetRouteBuilder.SameInputs(fleet, keepalive));
        Assert.All([draining, moved, h2c, gone, failed, redeployed], changed => Assert.False(FleetRouteBuilder.SameInputs(fleet, changed)));
    }

    [Fact]
    public void Build_NoReplicaRunning_DeploymentLeftOut()
    {
        var fleet = Snapshot([Fleets.Runtime("a", state: RuntimeState.Offline)], [Deployment("web"), Deployment("idle")], [Module("m1", "web", "a")]);

        Assert.Empty(Builder(out _).Build(fleet).Deployments);
    }

    [Fact]
    public void Build_DrainingRuntime_UsedOnlyWhenNoOnlineOneServes()
    {
        var fleet = Snapshot(
            [Fleets.Runtime("a", draining: true), Fleets.Runtime("b")],
            [Deployment("moving"), Deployment("stuck")],
            [Module("m1", "moving", "a"), Module("m2", "moving", "b"), Module("m3", "stuck", "a")]);

        var routes = Builder(out _).Build(fleet);

        Assert.Equal(["b"], Replicas(routes, "moving"));
        Assert.Equal(["a"], Replicas(routes, "stuck"));
    }

    [Fact]
    public async Task Build_StoredArtifact_MetadataAndHandlerRoutesIncluded()
    {
        var builder = Builder(out var artifacts);
        var hash = await artifacts.PutAsync(WasmWithMetadata("""{"abi":1,"functions":[{"name":"hi","parameters":[],"result":"string"}],"types":[]}"""));
        var deployment = Deployment("site") with { Hash = hash, Manifest = """{"name":"site","type":"command","routes":[{"path":"/site/...","methods":["GET"]}]}""" };
        var fleet = Snapshot([Fleets.Runtime("a")], [deployment], [Module("m1", "site", "a") with { Hash = hash }]);

        var routes = builder.Build(fleet).Deployments.Single();

        Assert.Equal("hi", routes.Metadata!.Value.GetProperty("functions")[0].GetProperty("name").GetString());
        var route = Assert.Single(routes.Routes);
        Assert.Equal("/site/...", route.Path);
        Assert.Equal(["GET"], route.Methods);
    }

    [Fact]
    public void SameRoutes_KeepaliveChangesNothingRouted_TrueUntilAReplicaGoes()
    {
        var builder = Builder(out _);
        var fleet = Snapshot([Fleets.Runtime("a"), Fleets.Runtime("b")], [Deployment("web", replicas: 2)], [Module("m1", "web", "a"), Module("m2", "web", "b")]);
        var first = builder.Build(fleet with { Version = 1 });

        var loaded = fleet with { Version = 2, Runtimes = fleet.Runtimes.SetItem("a", fleet.Runtimes["a"] with { Load = new Load(3, 0, 0.9, 100), LastSeen = T0.AddSeconds(5) }) };
        var offline = fleet with { Version = 3, Runtimes = fleet.Runtimes.SetItem("b", fleet.Runtimes["b"] with { State = RuntimeState.Offline }) };

        Assert.True(FleetRouteBuilder.SameRoutes(first, builder.Build(loaded)));
        Assert.False(FleetRouteBuilder.SameRoutes(first, builder.Build(offline)));
    }

    /// <summary>The smallest module with one <c>wafer.meta</c> custom section holding <paramref name="json"/>.</summary>
    internal static byte[] WasmWithMetadata(string json)
    {
        var name = Encoding.UTF8.GetBytes("wafer.meta");
        var payload = Encoding.UTF8.GetBytes(json);
        var content = new List<byte>();
        content.AddRange(Leb128((uint)name.Length));
        content.AddRange(name);
        content.AddRange(payload);
        return [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x00, .. Leb128((uint)content.Count), .. content];
    }

    private static List<byte> Leb128(uint value)
    {
        var bytes = new List<byte>();
        do
        {
            var b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return bytes;
    }
}
