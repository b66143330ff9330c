using System.Text;
using Wafer.ControlPlane.Hosting;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Api;

/// <summary>
/// Every error the orchestrator answers (its REST API, the gateway routes it serves, the framework's own answers) is
/// an RFC 7807 problem from the shared vocabulary, with one title per type.
/// </summary>
public sealed class ProblemSweepTests
{
    private const long MaxArtifact = 4096;

    [Fact]
    public async Task Sweep_EveryErrorIsAProblemWithOneTitlePerType()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.MaxArtifactBytes = MaxArtifact);
        var sweep = new ProblemSweep(host.Client);
        var hash = new string('a', 64);

        // Wrong methods on every route.
        foreach (var path in new[] { "/api/info", "/api/runtimes", "/api/runtimes/x", "/api/modules", "/api/modules/x", "/api/deployments/x/logs",
                     "/api/artifacts/" + hash, "/api/routes", "/api/stats", "/openapi/v1.json", "/metrics", "/healthz", "/readyz", "/graphql/schema" })
        {
            await sweep.ExpectAsync(HttpMethod.Put, path, 405);
        }

        await sweep.ExpectAsync(HttpMethod.Get, "/api/runtimes/x/drain", 405, "accepts POST");
        await sweep.ExpectAsync(HttpMethod.Put, "/api/deployments", 405);
        await sweep.ExpectAsync(HttpMethod.Post, "/api/deployments/x", 405);
        await sweep.ExpectAsync(HttpMethod.Get, "/api/artifacts", 405);
        await sweep.ExpectAsync(HttpMethod.Get, "/functions/hello", 405);
        await sweep.ExpectAsync(HttpMethod.Put, "/functions/web/hello", 405);

        // Unknown paths and things.
        await sweep.ExpectAsync(HttpMethod.Get, "/api/unknown", 404, "/api/unknown");
        await sweep.ExpectAsync(HttpMethod.Delete, "/nothing/here", 404);
        using (var html = new HttpRequestMessage(HttpMethod.Get, "/nope"))
        {
            html.Headers.Accept.ParseAdd("text/html");
            await sweep.ExpectAsync(html, 404);
        }

        await sweep.ExpectAsync(HttpMethod.Get, "/api/runtimes/x", 404, "'x'");
        await sweep.ExpectAsync(HttpMethod.Post, "/api/runtimes/x/drain", 404, "'x'");
        await sweep.ExpectAsync(HttpMethod.Get, "/api/modules/x", 404, "'x'");
        await sweep.ExpectAsync(HttpMethod.Get, "/api/deployments/x", 404, "'x'");
        await sweep.ExpectAsync(HttpMethod.Delete, "/api/deployments/x", 404, "'x'");
        await sweep.ExpectAsync(HttpMethod.Get, "/api/deployments/x/logs", 404, "'x'");
        await sweep.ExpectAsync(HttpMethod.Get, "/api/artifacts/" + hash, 404, hash);
        await sweep.ExpectAsync(HttpMethod.Post, "/functions/hello", ProblemSweep.Json("{}"), 404, "hello");
        await sweep.ExpectAsync(HttpMethod.Post, "/functions/web/hello", ProblemSweep.Json("{}"), 404, "web");

        // Query values that do not bind, or are out of range.
        await sweep.ExpectAsync(HttpMethod.Get, "/api/runtimes?alive=maybe", 400, "alive");
        await sweep.ExpectAsync(HttpMethod.Get, "/api/deployments/x/logs?limit=lots", 400, "limit");
        await sweep.ExpectAsync(HttpMethod.Get, "/api/deployments/x/logs?since=yesterday", 400, "since");
        await sweep.ExpectAsync(HttpMethod.Get, "/api/deployments/x/logs?limit=0", 400, "limit");
        await sweep.ExpectAsync(HttpMethod.Get, "/api/routes?after=x", 400, "after");
        await sweep.ExpectAsync(HttpMethod.Get, "/api/routes?wait=999", 400, "wait");
        await sweep.ExpectAsync(HttpMethod.Get, "/api/artifacts/nothex", 400, "nothex");

        // Bad content types, malformed and oversize bodies.
        await sweep.ExpectAsync(HttpMethod.Post, "/api/deployments", ProblemSweep.Text("x"), 415, "text/plain");
        await sweep.ExpectAsync(HttpMethod.Post, "/api/artifacts", ProblemSweep.Text("x"), 415, "text/plain");
        await sweep.ExpectAsync(HttpMethod.Post, "/api/deployments", ProblemSweep.Json("{"), 400);
        await sweep.ExpectAsync(HttpMethod.Post, "/api/deployments", ProblemSweep.Json("[]"), 400);
        await sweep.ExpectAsync(HttpMethod.Post, "/api/deployments", ProblemSweep.Json("""{"name":"x"}"""), 400, "hash");
        await sweep.ExpectAsync(HttpMethod.Post, "/api/deployments", ProblemSweep.Json("""{"name":"x","replicas":"two"}"""), 400, "replicas");
        await sweep.ExpectAsync(HttpMethod.Post, "/api/artifacts", ProblemSweep.Bytes((int)MaxArtifact + 1, "application/wasm"), 413);
        await sweep.ExpectAsync(HttpMethod.Post, "/api/deployments", ProblemSweep.Chunked(Encoding.UTF8.GetBytes($$"""{"name":"{{new string('x', (int)new OrchestratorOptions { MaxArtifactBytes = MaxArtifact }.MaxRequestBodyBytes + 1024)}}"}"""), "application/json"), 413);
        await sweep.ExpectAsync(HttpMethod.Post, "/api/artifacts", ProblemSweep.Chunked((int)MaxArtifact + 1024, "application/wasm"), 413);

        sweep.AssertClean();
    }
}
