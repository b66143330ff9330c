using System.Net;
using System.Text;

namespace Wafer.Fleet.Tests;

/// <summary>
/// A Modus app (a module built with the Modus AssemblyScript SDK, from <c>../shared/fixtures/modus</c>, and its
/// <c>modus.json</c>) deployed with <c>wafer deploy</c> to an orchestrator with a runtime process, called through the
/// gateway over REST and GraphQL as a Modus client would. Expected values are the fixtures README's.
/// </summary>
[Trait("Category", "Fleet")]
public sealed class ModusFleetTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task ModusApp_DeployedWithTheCli_AnswersThroughTheGatewayOverRestAndGraphQL()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 1);
        var server = cluster.Api.BaseAddress!.ToString().TrimEnd('/');

        // The app's source folder after `modus build`: modus.json beside build/<app>.wasm.
        var app = Path.Combine(cluster.Folder, "simple-app");
        Directory.CreateDirectory(Path.Combine(app, "build"));
        File.Copy(Repository.ModusFixture("simple-example.wasm"), Path.Combine(app, "build", "simple-example.wasm"));
        await File.WriteAllTextAsync(Path.Combine(app, "modus.json"), """
            {
              "$schema": "https://schema.hypermode.com/modus.json",
              "endpoints": {"default": {"type": "graphql", "path": "/graphql", "auth": "none"}}
            }
            """);
        var (code, output) = await WaferProcess.RunAsync(Within, "deploy", app, "--name", "simple", "--server", server);
        Assert.True(code == 0, output);
        await cluster.WaitForRunningAsync("simple", 1, Bound);
        await Eventually.TrueAsync(async () => (await cluster.Api.PostAsync("/functions/simple/getFullName", Json("{}"))).StatusCode != HttpStatusCode.NotFound,
            "the gateway routes simple", Bound, cluster);

        // REST, qualified and by the bare function name.
        using (var response = await cluster.Api.PostAsync("/functions/simple/getFullName", Json("""{"firstName":"Ada","lastName":"Lovelace"}""")))
        {
            Assert.Equal("""{"result":"Ada Lovelace"}""", await response.Content.ReadAsStringAsync());
        }

        using (var response = await cluster.Api.PostAsync("/functions/add", Json("""{"a":2147483647,"b":1}""")))
        {
            Assert.Equal("""{"result":-2147483648}""", await response.Content.ReadAsStringAsync());
        }

        // GraphQL with Modus's names: get-prefixes trimmed, `add` a mutation.
        using (var response = await cluster.Api.PostAsync("/graphql", Json("""{"query":"{ fullName(firstName: \"Ada\", lastName: \"Lovelace\") people { firstName fullName } }"}""")))
        {
            Assert.Equal(
                """{"data":{"fullName":"Ada Lovelace","people":[{"firstName":"Bob","fullName":"Bob Smith"},{"firstName":"Alice","fullName":"Alice Jones"},{"firstName":"Charlie","fullName":"Charlie Brown"}]}}""",
                await response.Content.ReadAsStringAsync());
        }

        using (var response = await cluster.Api.PostAsync("/graphql", Json("""{"query":"mutation { add(a: 2, b: 3) }"}""")))
        {
            Assert.Equal("""{"data":{"add":5}}""", await response.Content.ReadAsStringAsync());
        }

        // An abort is the structured error a runtime gives, with the guest's message and location.
        using (var response = await cluster.Api.PostAsync("/functions/simple/catchAndRethrow", Json("""{"shouldRethrow":true}""")))
        {
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("abort", problem.GetProperty("cause").GetString());
            Assert.Contains("Throw from Try Block at assembly/index.ts:90:5", problem.GetProperty("detail").GetString());
        }
    }
}
