using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>
/// A Modus app (a module built with the Modus AssemblyScript SDK, from <c>../shared/fixtures/modus</c>, and its
/// <c>modus.json</c>) deployed with <c>wafer deploy</c> to an orchestrator with a runtime process, called through the
/// gateway over REST and GraphQL as a Modus client would: with the request context a Modus app reads (the caller's
/// <c>X-Time-Zone</c> as its <c>TZ</c>, a bearer token verified on the runtime against <c>MODUS_PEMS</c> and its claims
/// as <c>CLAIMS</c>) and optional parameters' defaults. Expected values are the fixtures README's.
/// </summary>
[Trait("Category", "Fleet")]
public sealed class ModusFleetTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<string> PostAsync(HttpClient client, string path, string json, string? token = null, string? timeZone = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Json(json) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (timeZone is not null)
        {
            request.Headers.Add("X-Time-Zone", timeZone);
        }

        using var response = await client.SendAsync(request);
        return $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
    }

    /// <summary>Copies a fixture as a Modus app's folder (modus.json beside build/APP.wasm) and deploys it with the CLI.</summary>
    private static async Task DeployAppAsync(FleetCluster cluster, string fixture, string name, string modusJson)
    {
        var app = Path.Combine(cluster.Folder, name + "-app");
        Directory.CreateDirectory(Path.Combine(app, "build"));
        File.Copy(Repository.ModusFixture(fixture + ".wasm"), Path.Combine(app, "build", fixture + ".wasm"));
        await File.WriteAllTextAsync(Path.Combine(app, "modus.json"), modusJson);
        var (code, output) = await WaferProcess.RunAsync(Within, "deploy", app, "--name", name, "--server", cluster.Api.BaseAddress!.ToString().TrimEnd('/'));
        Assert.True(code == 0, output);
        await cluster.WaitForRunningAsync(name, 1, Bound);
    }

    [Fact]
    public async Task ModusApp_DeployedWithTheCli_AnswersThroughTheGatewayOverRestAndGraphQL()
    {
        using var key = RSA.Create(2048);
        var pems = JsonSerializer.Serialize(new Dictionary<string, string> { ["fleet"] = key.ExportSubjectPublicKeyInfoPem() });
        await using var cluster = await FleetCluster.StartAsync(runtimes: 1, runtimeEnvironment: new Dictionary<string, string> { ["MODUS_PEMS"] = pems });
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
            "the gateway routes simple", Bound, cluster.Logs);

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

        // The request's context reaches the guest through the gateway, over REST and GraphQL.
        const string open = """{"endpoints": {"default": {"type": "graphql", "path": "/graphql", "auth": "none"}}}""";
        await DeployAppAsync(cluster, "time-example", "clock", open);
        await DeployAppAsync(cluster, "auth-example", "claims", """{"endpoints": {"default": {"type": "graphql", "path": "/graphql", "auth": "bearer-token"}}}""");
        await DeployAppAsync(cluster, "my-modus-app", "template", open);
        await Eventually.TrueAsync(async () => (await PostAsync(cluster.Api, "/functions/template/sayHello", "{}")).StartsWith("200", StringComparison.Ordinal),
            "the gateway routes every app", Bound, cluster.Logs);
        Assert.Equal("""200 {"result":"America/New_York"}""", await PostAsync(cluster.Api, "/functions/clock/getLocalTimeZone", "{}", timeZone: "America/New_York"));
        Assert.Equal("""200 {"data":{"localTimeZone":"Asia/Tokyo"}}""",
            await PostAsync(cluster.Api, "/graphql", """{"query":"{ localTimeZone }"}""", timeZone: "Asia/Tokyo"));

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Claims = new Dictionary<string, object> { ["sub"] = "user-7", ["user-id"] = "u-7", ["iss"] = "https://issuer" },
            Expires = DateTime.UtcNow.AddMinutes(10),
            SigningCredentials = new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256),
        });
        Assert.StartsWith("401 ", await PostAsync(cluster.Api, "/functions/claims/getJWTClaims", "{}"), StringComparison.Ordinal);
        var claims = await PostAsync(cluster.Api, "/functions/claims/getJWTClaims", "{}", token);
        Assert.StartsWith("200 ", claims, StringComparison.Ordinal);
        Assert.Contains("\"sub\":\"user-7\"", claims, StringComparison.Ordinal);
        Assert.Contains("\"userId\":\"u-7\"", claims, StringComparison.Ordinal);
        Assert.Equal("""200 {"data":{"jWTClaims":{"sub":"user-7","userId":"u-7"}}}""",
            await PostAsync(cluster.Api, "/graphql", """{"query":"{ jWTClaims { sub userId } }"}""", token));
        Assert.Contains("needs a valid bearer token", await PostAsync(cluster.Api, "/graphql", """{"query":"{ jWTClaims { sub } }"}""", "not-a-token"), StringComparison.Ordinal);

        // An optional parameter: omitted over REST it gets its default; the gateway's schema shows the default.
        Assert.Equal("""200 {"result":"Hello, World!"}""", await PostAsync(cluster.Api, "/functions/template/sayHello", "{}"));
        Assert.Equal("""200 {"data":{"sayHello":"Hello, World!"}}""", await PostAsync(cluster.Api, "/graphql", """{"query":"{ sayHello }"}"""));
        var introspection = await PostAsync(cluster.Api, "/graphql", """{"query":"{ __type(name: \"Query\") { fields { name args { name defaultValue } } } }"}""");
        Assert.Contains("""{"name":"sayHello","args":[{"name":"name","defaultValue":"null"}]}""", introspection, StringComparison.Ordinal);

        // An abort is the structured error a runtime gives, with the guest's message and location.
        using (var response = await cluster.Api.PostAsync("/functions/simple/catchAndRethrow", Json("""{"shouldRethrow":true}""")))
        {
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("abort", problem.GetProperty("cause").GetString());
            Assert.Contains("Throw from Try Block at assembly/index.ts:90:5", problem.GetProperty("detail").GetString());
        }
    }
}
