using System.Net;
using System.Text;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>
/// Jobs through the fleet: <c>POST /jobs</c> on the orchestrator and on a standalone gateway runs a command plugin on a
/// runtime that hosts it, and <c>GET /jobs/{id}</c> on either finds it on that runtime, real processes throughout.
/// </summary>
[Trait("Category", "Fleet")]
public sealed class FleetJobTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : Json(body) };
        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private static async Task<JsonElement> WaitForExitAsync(HttpClient client, string id, FleetCluster cluster)
    {
        JsonElement job = default;
        await Eventually.TrueAsync(async () =>
        {
            var (status, body, _) = await SendAsync(client, HttpMethod.Get, "/jobs/" + id);
            job = body;
            return status == HttpStatusCode.OK && body.GetProperty("status").GetString() != "running";
        }, $"job {id} ends", Bound, cluster.Logs);
        return job;
    }

    [Fact]
    public async Task Jobs_ThroughOrchestratorAndGateway_RunOnReplicasAndAreReadByFleetId()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 2, inProcessBroker: true);
        await cluster.DeployAsync("batch", "c-job", replicas: 2);
        await cluster.WaitForRunningAsync("batch", 2, Bound);
        await Eventually.TrueAsync(async () => (await cluster.GetJsonAsync("/api/routes")).GetProperty("deployments").EnumerateArray()
            .Any(d => d.GetProperty("name").GetString() == "batch" && d.GetProperty("replicas").GetArrayLength() == 2), "both replicas are routed", Bound, cluster.Logs);
        var (_, gateway) = await cluster.StartGatewayAsync();

        // Two jobs through the orchestrator go round-robin: one to each runtime, and the id names it.
        var runtimesUsed = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 2; i++)
        {
            var (status, body, response) = await SendAsync(cluster.Api, HttpMethod.Post, "/jobs", $$"""{"plugin": "batch", "args": ["args", "n{{i}}"]}""");
            Assert.True(status == HttpStatusCode.Accepted, body.ToString());
            var id = body.GetProperty("id").GetString()!;
            var runtime = body.GetProperty("runtime").GetString()!;
            Assert.Equal("/jobs/" + id, response.Headers.Location?.ToString());
            Assert.Equal(runtime, response.Headers.GetValues("X-Wafer-Runtime").Single());
            Assert.StartsWith(cluster.RuntimeId(runtime) + ".", id, StringComparison.Ordinal);
            runtimesUsed.Add(runtime);

            // Read through the standalone gateway, which never saw it: the id alone says where it runs.
            var job = await WaitForExitAsync(gateway, id, cluster);
            Assert.Equal("exited", job.GetProperty("status").GetString());
            Assert.Equal(0, job.GetProperty("exitCode").GetInt32());
            Assert.Equal(id, job.GetProperty("id").GetString());
            Assert.Contains($"argv[2]=n{i}\n", job.GetProperty("stdout").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(["rt-1", "rt-2"], runtimesUsed.Order(StringComparer.Ordinal));

        // A job through the gateway is read back through the orchestrator.
        var (viaGateway, started, _) = await SendAsync(gateway, HttpMethod.Post, "/jobs", """{"plugin": "batch", "args": ["exit", "3"]}""");
        Assert.True(viaGateway == HttpStatusCode.Accepted, started.ToString());
        var exited = await WaitForExitAsync(cluster.Api, started.GetProperty("id").GetString()!, cluster);
        Assert.Equal(3, exited.GetProperty("exitCode").GetInt32());

        // Listed through either: the three jobs from both runtimes, newest first, by fleet id.
        foreach (var client in new[] { cluster.Api, gateway })
        {
            var (listed, list, _) = await SendAsync(client, HttpMethod.Get, "/jobs?limit=10");
            Assert.True(listed == HttpStatusCode.OK, list.ToString());
            var items = list.GetProperty("items").EnumerateArray().ToList();
            Assert.Equal(3, items.Count);
            Assert.Equal(started.GetProperty("id").GetString(), items[0].GetProperty("id").GetString());
            Assert.Equal(["rt-1", "rt-2"], items.Select(j => j.GetProperty("runtime").GetString()!).Distinct().Order(StringComparer.Ordinal));
            Assert.All(items, j => Assert.StartsWith(cluster.RuntimeId(j.GetProperty("runtime").GetString()!) + ".", j.GetProperty("id").GetString(), StringComparison.Ordinal));
            Assert.Empty(list.GetProperty("unanswered").EnumerateArray());
        }

        var (tooMany, _, _) = await SendAsync(gateway, HttpMethod.Get, "/jobs?limit=501");
        Assert.Equal(HttpStatusCode.BadRequest, tooMany);
    }

    [Fact]
    public async Task Jobs_BadRequests_AreRefusedWithProblems()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 1, inProcessBroker: true);
        await cluster.DeployAsync("batch", "c-job", replicas: 1);
        await cluster.DeployHelloAsync("web", replicas: 1);
        await cluster.WaitForRunningAsync("batch", 1, Bound);
        await cluster.WaitForRunningAsync("web", 1, Bound);
        await Eventually.TrueAsync(async () => (await cluster.GetJsonAsync("/api/routes")).GetProperty("deployments").GetArrayLength() == 2,
            "both deployments are routed", Bound, cluster.Logs);

        var (unknown, problem, _) = await SendAsync(cluster.Api, HttpMethod.Post, "/jobs", """{"plugin": "nothing"}""");
        Assert.Equal(HttpStatusCode.NotFound, unknown);
        Assert.Contains("no deployment named 'nothing'", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var (noPlugin, noPluginProblem, _) = await SendAsync(cluster.Api, HttpMethod.Post, "/jobs", """{"args": []}""");
        Assert.Equal(HttpStatusCode.BadRequest, noPlugin);
        Assert.Contains("\"plugin\"", noPluginProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The runtime's own checks come back as it answered them.
        var (functions, functionsProblem, _) = await SendAsync(cluster.Api, HttpMethod.Post, "/jobs", """{"plugin": "web"}""");
        Assert.Equal(HttpStatusCode.BadRequest, functions);
        Assert.Contains("functions plugin", functionsProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (badArgs, _, _) = await SendAsync(cluster.Api, HttpMethod.Post, "/jobs", """{"plugin": "batch", "args": [1]}""");
        Assert.Equal(HttpStatusCode.BadRequest, badArgs);

        var (notFleetId, _, _) = await SendAsync(cluster.Api, HttpMethod.Get, "/jobs/abc");
        Assert.Equal(HttpStatusCode.NotFound, notFleetId);
        var (goneRuntime, goneProblem, _) = await SendAsync(cluster.Api, HttpMethod.Get, "/jobs/" + Guid.NewGuid().ToString("D") + ".0199");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, goneRuntime);
        Assert.Contains("serves no deployment", goneProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var (unknownJob, _, _) = await SendAsync(cluster.Api, HttpMethod.Get, "/jobs/" + cluster.RuntimeId("rt-1") + ".0199");
        Assert.Equal(HttpStatusCode.NotFound, unknownJob);
    }
}
