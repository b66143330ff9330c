using System.Net;
using System.Net.Http.Headers;
using Wafer.Runtime.Modus.Host;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Modus;

/// <summary>
/// A Modus app deployed like any plugin (<c>POST /api/plugins</c>, what <c>wafer deploy --server</c> and the fleet's
/// placements use): its modus.json travels as the Wafer manifest's <c>modus</c> key, which also gives it limits.
/// </summary>
public sealed class ModusDeployTests
{
    private const string Token = "modus-deploy-token";

    [Fact]
    public async Task Upload_WithModusKey_AppliesItsEndpointAuthAndItsLimits()
    {
        // Storage of its own: uploads are kept there and served again by the next runtime that uses it.
        var storage = Path.Combine(Path.GetTempPath(), "wafer-tests", "modus-deploy-" + Guid.NewGuid().ToString("N")[..12]);
        await using var server = await RuntimeServer.StartAsync([], o => o.ApiToken = Token, storagePath: storage,
            services: s => s.AddSingleton<IModusHostModule, TestHostModule>());

        var auth = await Upload(server, "auth-example", """{"name":"auth","modus":{"endpoints":{"default":{"type":"graphql","path":"/graphql","auth":"bearer-token"}}}}""");
        Assert.Equal(HttpStatusCode.Created, auth.StatusCode);
        var (refused, problem) = await server.PostJsonAsync("/functions/auth/getJWTClaims", "{}");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("MODUS_PEMS", problem.GetProperty("detail").GetString());

        var limited = await Upload(server, "as-testdata", """{"name":"spinner","limits":{"timeoutMs":200},"modus":{}}""");
        Assert.Equal(HttpStatusCode.Created, limited.StatusCode);
        var started = DateTime.UtcNow;
        var (timedOut, body) = await server.PostJsonAsync("/functions/spinner/spin", """{"duration":30000}""");
        Assert.Equal(HttpStatusCode.GatewayTimeout, timedOut.StatusCode);
        Assert.Equal("timeout", body.GetProperty("cause").GetString());
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the 200 ms limit stopped the guest long before its 30 s spin");

        var bad = await Upload(server, "my-modus-app", """{"name":"bad","modus":{"connections":{"db":{"type":"oracle"}}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("$.modus.connections.db.type", await bad.Content.ReadAsStringAsync());
    }

    private static async Task<HttpResponseMessage> Upload(RuntimeServer server, string fixture, string manifest)
    {
        using var form = new MultipartFormDataContent();
        var wasm = new ByteArrayContent(File.ReadAllBytes(ModusFixtures.Wasm(fixture)));
        wasm.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        form.Add(wasm, "plugin", fixture + ".wasm");
        form.Add(new StringContent(manifest), "manifest", "wafer.json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/plugins") { Content = form };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return await server.Client.SendAsync(request);
    }
}
