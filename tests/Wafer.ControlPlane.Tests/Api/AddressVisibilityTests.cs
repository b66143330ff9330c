using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Api;

/// <summary>
/// One rule for addresses (docs/orchestrator.md): runtime URLs, h2c URLs, artifact URLs and URLs quoted in reasons are
/// shown only to callers holding the token, as <c>GET /api/routes</c> always did; everything else stays public.
/// </summary>
public sealed class AddressVisibilityTests
{
    private const string Token = "addr-s3cret";
    private static readonly string GoodId = Guid.NewGuid().ToString("D"); // a runtime id is its broker user: a UUID

    private const string QuotedAddress = "http://10.9.8.7:8680/api/artifacts/x";

    private static readonly string[] ReadPaths = ["/api/runtimes", "/api/runtimes/{runtime}", "/api/modules", "/api/modules/{module}", "/api/deployments", "/api/deployments/web", "/api/deployments/broken", "/api/events"];

    private static async Task<(OrchestratorHost Host, FakeRuntime Runtime, FakeRuntime Failing, string ModuleId)> StartFleetAsync()
    {
        var host = await OrchestratorHost.StartAsync(o => o.ApiToken = Token);
        var runtime = await FakeRuntime.StartAsync(host.BrokerUrl, GoodId, Token, ("zone", "a"));
        runtime.ArtifactToken = Token;
        var failing = await FakeRuntime.StartAsync(host.BrokerUrl, Guid.NewGuid().ToString("D"), Token, ("zone", "b"));
        failing.FailCreates = $"download failed: GET {QuotedAddress} answered 500";
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.Count == 2, "both runtimes joined");

        await DeployAsync(host, "web", "a");
        await DeployAsync(host, "broken", "b");
        await Eventually.TrueAsync(() => host.View.Current.Modules.Values.Any(m => m.Deployment == "web" && m.Status == ModuleStatus.Running)
                                         && host.View.Current.Modules.Values.Any(m => m.Deployment == "broken" && m.Status == ModuleStatus.Failed),
            "web runs and broken failed");
        var moduleId = host.View.Current.Modules.Values.Single(m => m.Deployment == "web").Id;
        return (host, runtime, failing, moduleId);
    }

    private static async Task DeployAsync(OrchestratorHost host, string name, string zone)
    {
        var body = JsonSerializer.Serialize(new
        {
            // an empty module with a one-byte custom section, so each deployment has its own hash
            name, plugin = Convert.ToBase64String([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, (byte)name[0]]), replicas = 1,
            labels = new Dictionary<string, string> { ["zone"] = zone },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/deployments") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        using var response = await host.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> ReadAsync(OrchestratorHost host, string path, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {path} answered {(int)response.StatusCode}: {text}");
        return text;
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-the-token")]
    public async Task Reads_WithoutTheToken_NameNoAddress_ButEverythingElse(string? token)
    {
        var (host, runtime, failing, moduleId) = await StartFleetAsync();
        await using var _ = host;
        await using var __ = runtime;
        await using var ___ = failing;
        var orchestratorOrigin = host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);

        foreach (var path in ReadPaths)
        {
            var text = await ReadAsync(host, path.Replace("{runtime}", runtime.Id, StringComparison.Ordinal).Replace("{module}", moduleId, StringComparison.Ordinal), token);

            Assert.DoesNotContain(runtime.Url.TrimEnd('/'), text, StringComparison.Ordinal);
            Assert.DoesNotContain(failing.Url.TrimEnd('/'), text, StringComparison.Ordinal);
            Assert.DoesNotContain(orchestratorOrigin, text, StringComparison.Ordinal);
            Assert.DoesNotContain(QuotedAddress, text, StringComparison.Ordinal);
        }

        var listed = JsonDocument.Parse(await ReadAsync(host, "/api/runtimes", token)).RootElement.GetProperty("runtimes").EnumerateArray().ToList();
        Assert.Equal(2, listed.Count);
        Assert.All(listed, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("url").ValueKind));
        Assert.All(listed, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("h2cUrl").ValueKind));
        Assert.Contains(listed, r => r.GetProperty("name").GetString() == GoodId && r.GetProperty("labels").GetProperty("zone").GetString() == "a");

        var web = JsonDocument.Parse(await ReadAsync(host, "/api/deployments/web", token)).RootElement;
        Assert.Equal(JsonValueKind.Null, web.GetProperty("artifactUrl").ValueKind);
        Assert.Equal("running", web.GetProperty("status").GetProperty("state").GetString());
        var module = web.GetProperty("modules")[0];
        Assert.Equal(JsonValueKind.Null, module.GetProperty("runtimeUrl").ValueKind);
        Assert.Equal(JsonValueKind.Null, module.GetProperty("artifactUrl").ValueKind);
        Assert.Equal(GoodId, module.GetProperty("runtimeName").GetString());

        var broken = JsonDocument.Parse(await ReadAsync(host, "/api/deployments/broken", token)).RootElement;
        var reason = broken.GetProperty("status").GetProperty("reason").GetString()!;
        Assert.Contains("download failed: GET [address hidden] answered 500", reason);
        Assert.DoesNotContain("10.9.8.7", reason);
    }

    [Fact]
    public async Task Reads_WithTheToken_NameTheAddresses()
    {
        var (host, runtime, failing, moduleId) = await StartFleetAsync();
        await using var _ = host;
        await using var __ = runtime;
        await using var ___ = failing;

        var good = JsonDocument.Parse(await ReadAsync(host, $"/api/runtimes/{runtime.Id}", Token)).RootElement;
        Assert.Equal(runtime.Url, good.GetProperty("url").GetString());

        var module = JsonDocument.Parse(await ReadAsync(host, $"/api/modules/{moduleId}", Token)).RootElement;
        Assert.Equal(runtime.Url, module.GetProperty("runtimeUrl").GetString());
        Assert.StartsWith(host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority) + "/api/artifacts/", module.GetProperty("artifactUrl").GetString());

        var broken = JsonDocument.Parse(await ReadAsync(host, "/api/deployments/broken", Token)).RootElement;
        Assert.Contains($"download failed: GET {QuotedAddress} answered 500", broken.GetProperty("status").GetProperty("reason").GetString());

        var events = JsonDocument.Parse(await ReadAsync(host, "/api/events", Token)).RootElement.GetProperty("events").EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("name").GetString() == "RuntimeAnnounced" && e.GetProperty("fields").GetProperty("Url").GetString() == runtime.Url);
        Assert.Contains(events, e => e.GetProperty("name").GetString() == "ModuleFailed" && e.GetProperty("message").GetString()!.Contains(QuotedAddress, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoTokenConfigured_ShowsAddressesToEveryone()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl);
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey(runtime.Id), "the runtime joined");

        var listed = JsonDocument.Parse(await ReadAsync(host, "/api/runtimes", null)).RootElement.GetProperty("runtimes")[0];

        Assert.Equal(runtime.Url, listed.GetProperty("url").GetString());
    }
}
