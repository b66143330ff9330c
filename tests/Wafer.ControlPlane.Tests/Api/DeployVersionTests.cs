using System.Net;
using System.Net.Http.Json;
using System.Text;
using Wafer.ControlPlane.Tests.Gateway;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Api;

/// <summary>What a deploy is: its failures belong to the wasm, manifest and config deployed, and it may not silently take function names another deployment serves.</summary>
public sealed class DeployVersionTests
{
    private static readonly byte[] EmptyModule = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static byte[] Exporting(params string[] functions) => FleetRouteBuilderTests.WasmWithMetadata(
        $$"""{"abi":1,"functions":[{{string.Join(",", functions.Select(f => $$"""{"name":"{{f}}","result":"string"}"""))}}],"types":[]}""");

    [Fact]
    public async Task Redeploy_SameWasmCorrectedManifest_ForgetsTheOldFailures_AndRuns()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl);
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey(runtime.Id), "the runtime joined");
        runtime.FailCreates = "the guest needs more than limits.memoryMb";
        var plugin = Convert.ToBase64String(EmptyModule);
        (await host.Client.PostAsync("/api/deployments", Json(new { name = "web", plugin, manifest = new { name = "web", limits = new { memoryMb = 1 } } }))).Dispose();
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/api/deployments/web")).GetProperty("status").GetProperty("failed").GetInt32() == 1,
            "the first deploy failed");

        runtime.FailCreates = null;
        using var redeploy = await host.Client.PostAsync("/api/deployments", Json(new { name = "web", plugin, manifest = new { name = "web", limits = new { memoryMb = 16 } } }));

        Assert.Equal(HttpStatusCode.OK, redeploy.StatusCode);
        var status = (await redeploy.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status");
        Assert.Equal(0, status.GetProperty("failed").GetInt32()); // the old manifest's failure is not this version's
        // Placed at once, not after the old failure's 5 s backoff on the only runtime.
        var started = DateTime.UtcNow;
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/api/deployments/web")).GetProperty("status").GetProperty("state").GetString() == "running",
            "the corrected deployment runs");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4.5), $"running only after {(DateTime.UtcNow - started).TotalSeconds:0.0}s: it waited out the old failure's backoff");
    }

    [Fact]
    public async Task Deploy_ExportingAnotherDeploymentsFunction_Is409NamingIt_UnlessShadowingIsAllowed()
    {
        await using var host = await OrchestratorHost.StartAsync();
        (await host.Client.PostAsync("/api/deployments", Json(new { name = "web", plugin = Convert.ToBase64String(Exporting("greet", "hello")), replicas = 0 }))).Dispose();
        var other = Convert.ToBase64String(Exporting("hello", "greet", "other"));

        using var refused = await host.Client.PostAsync("/api/deployments", Json(new { name = "api", plugin = other, replicas = 0 }));

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("deployment 'web' already serves greet, hello; deploy with allowShadowing", problem.GetProperty("detail").GetString());
        Assert.Equal(["greet", "hello"], problem.GetProperty("shadowed").GetProperty("web").EnumerateArray().Select(e => e.GetString()).ToArray());
        Assert.False(host.View.Current.Deployments.ContainsKey("api"));

        using var allowed = await host.Client.PostAsync("/api/deployments", Json(new { name = "api", plugin = other, replicas = 0, allowShadowing = true }));

        Assert.Equal(HttpStatusCode.Created, allowed.StatusCode);
        var body = await allowed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.StartsWith("deployment 'web' already serves greet, hello; /functions/NAME answers 409", body.GetProperty("warnings")[0].GetString());
        // Redeploying a deployment never shadows itself.
        using var again = await host.Client.PostAsync("/api/deployments", Json(new { name = "web", plugin = Convert.ToBase64String(Exporting("greet", "hello")), replicas = 0, allowShadowing = false }));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode); // but 'api' now serves greet and hello too
        using var unrelated = await host.Client.PostAsync("/api/deployments", Json(new { name = "solo", plugin = Convert.ToBase64String(Exporting("lonely")), replicas = 0 }));
        Assert.Equal(HttpStatusCode.Created, unrelated.StatusCode);
        Assert.False((await unrelated.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("warnings", out _));
    }
}
