using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Wafer.Gateway.Hosting;
using Wafer.Tests.Shared;

namespace Wafer.Gateway.Tests;

/// <summary>Every error the gateway answers itself is an RFC 7807 problem from the shared vocabulary, with one title per type.</summary>
public sealed class ProblemSweepTests
{
    [Fact]
    public async Task Sweep_FunctionRoutes_EveryErrorIsAProblemWithOneTitlePerType()
    {
        await using var gateway = await GatewayHost.StartAsync();
        gateway.Publish(1, ("web", ["hello"], []), ("one", ["both"], ["http://127.0.0.1:9"]), ("two", ["both"], ["http://127.0.0.1:9"]));
        var sweep = new ProblemSweep(gateway.Client);

        foreach (var path in new[] { "/functions/hello", "/functions/web/hello" })
        {
            await sweep.ExpectAsync(HttpMethod.Get, path, 405, "POST");
            await sweep.ExpectAsync(HttpMethod.Put, path, 405, "POST");
        }

        await sweep.ExpectAsync(HttpMethod.Put, "/graphql", 405);
        await sweep.ExpectAsync(HttpMethod.Post, "/metrics", 405);
        await sweep.ExpectAsync(HttpMethod.Get, "/api/unknown", 404, "/api/unknown");
        await sweep.ExpectAsync(HttpMethod.Post, "/nothing/here", ProblemSweep.Json("{}"), 404);
        await sweep.ExpectAsync(HttpMethod.Post, "/functions/nope", ProblemSweep.Json("{}"), 404, "nope");
        await sweep.ExpectAsync(HttpMethod.Post, "/functions/nope/hello", ProblemSweep.Json("{}"), 404, "nope");
        await sweep.ExpectAsync(HttpMethod.Post, "/functions/web/nope", ProblemSweep.Json("{}"), 404, "nope");
        await sweep.ExpectAsync(HttpMethod.Post, "/functions/both", ProblemSweep.Json("{}"), 409, "both");
        await sweep.ExpectAsync(HttpMethod.Post, "/functions/hello", ProblemSweep.Json("{}"), 503, "web");
        await sweep.ExpectAsync(HttpMethod.Post, "/functions/one/both", ProblemSweep.Json("{}"), 503, "one"); // refused: never ran

        sweep.AssertClean();
    }

    [Fact]
    public async Task Sweep_StandaloneGatewayWithoutItsOrchestrator_EveryErrorIsAProblem()
    {
        // The orchestrator's address refuses connections: no routes arrive, and /api/... cannot be passed on.
        await using var app = GatewayApp.Build(new GatewayOptions { Orchestrator = "http://127.0.0.1:9", Port = 0, Host = "127.0.0.1" });
        await app.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()) };
        var sweep = new ProblemSweep(client);

        await sweep.ExpectAsync(HttpMethod.Get, "/readyz", 503, "orchestrator");
        await sweep.ExpectAsync(HttpMethod.Get, "/api/deployments", 502, "127.0.0.1:9");
        await sweep.ExpectAsync(HttpMethod.Post, "/functions/hello", ProblemSweep.Json("{}"), 404, "hello");
        await sweep.ExpectAsync(HttpMethod.Get, "/functions/hello", 405, "POST");
        await sweep.ExpectAsync(HttpMethod.Post, "/healthz", 405);
        await sweep.ExpectAsync(HttpMethod.Put, "/metrics", 405);
        await sweep.ExpectAsync(HttpMethod.Get, "/unknown", 404, "/unknown");

        sweep.AssertClean();
        await app.StopAsync();
    }
}
