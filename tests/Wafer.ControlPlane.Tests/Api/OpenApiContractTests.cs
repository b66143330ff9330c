using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.OpenApi;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Api;

/// <summary>
/// The orchestrator's OpenAPI document says what the server does: it passes Microsoft.OpenApi's reader and default
/// validation rules, and the real answers of every endpoint (success and failure) have a status the document lists
/// for that operation and a body its schema accepts.
/// </summary>
public sealed class OpenApiContractTests
{
    private static readonly byte[] EmptyModule = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

    [Fact]
    public async Task Document_IsValid_AndRequiresOnlyWhatTheServerRequires()
    {
        await using var host = await OrchestratorHost.StartAsync();
        var document = await LoadAsync(host);

        var request = document.Paths["/api/deployments"].Operations![HttpMethod.Post].RequestBody!.Content!["application/json"].Schema!;
        Assert.Empty(request.Required ?? new HashSet<string>());
        Assert.Equal(["allowShadowing", "config", "hash", "labels", "manifest", "name", "plugin", "replicas"], request.Properties!.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryEndpoint_AnswersOnlyStatusesAndBodiesTheDocumentDescribes()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = "s3cret");
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl, null, "s3cret");
        runtime.ArtifactToken = "s3cret";
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey(runtime.Id), "the runtime joined");
        var runtimeName = host.View.Current.Runtimes[runtime.Id].Name;
        var document = await LoadAsync(host);
        var hash = Convert.ToHexStringLower(SHA256.HashData(EmptyModule));
        var failures = new List<string>();

        async Task Check(HttpMethod method, string template, string path, HttpContent? content = null, bool token = true, int? expect = null)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            if (token)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
            }

            using var response = await host.Client.SendAsync(request);
            var status = (int)response.StatusCode;
            var what = $"{method} {path} answered {status}";
            if (expect is { } expected && status != expected)
            {
                failures.Add($"{what}, expected {expected}");
            }

            if (!document.Paths.TryGetValue(template, out var item) || item.Operations?.TryGetValue(method, out var operation) != true)
            {
                failures.Add($"{what}: the document has no {method} {template}");
                return;
            }

            if (operation!.Responses?.TryGetValue(status.ToString(System.Globalization.CultureInfo.InvariantCulture), out var declared) != true)
            {
                failures.Add($"{what}: the document lists only {string.Join(", ", operation.Responses!.Keys)}");
                return;
            }

            var mediaType = response.Content.Headers.ContentType?.MediaType;
            if (mediaType is null || !mediaType.Contains("json", StringComparison.Ordinal))
            {
                return;
            }

            if (declared!.Content?.TryGetValue(mediaType, out var media) != true || media!.Schema is null)
            {
                failures.Add($"{what}: {mediaType} is not a content type the document gives for it ({string.Join(", ", declared.Content?.Keys ?? [])})");
                return;
            }

            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            SchemaCheck.Check(body, media.Schema, "$", failures, what);
        }

        await Check(HttpMethod.Get, "/api/info", "/api/info", expect: 200);
        await Check(HttpMethod.Get, "/api/stats", "/api/stats", expect: 200);
        await Check(HttpMethod.Post, "/api/deployments", "/api/deployments", Json("{}"), token: false, expect: 401);
        await Check(HttpMethod.Post, "/api/deployments", "/api/deployments", Json($$"""{"name":"web","plugin":"{{Convert.ToBase64String(EmptyModule)}}"}"""), expect: 201);
        await Check(HttpMethod.Post, "/api/deployments", "/api/deployments", Json($$"""{"name":"web","hash":"{{hash}}"}"""), expect: 200);
        await Check(HttpMethod.Post, "/api/deployments", "/api/deployments", Json("""{"replicas":"two"}"""), expect: 400);
        await Check(HttpMethod.Post, "/api/deployments", "/api/deployments", new StringContent("x", Encoding.UTF8, "text/plain"), expect: 415);
        await Eventually.TrueAsync(() => host.View.Current.Modules.Values.Any(m => m.Status == Fleet.ModuleStatus.Running), "the module runs");
        var moduleId = host.View.Current.Modules.Keys.First();
        await Check(HttpMethod.Get, "/api/deployments", "/api/deployments", expect: 200);
        await Check(HttpMethod.Get, "/api/deployments/{name}", "/api/deployments/web", expect: 200);
        await Check(HttpMethod.Get, "/api/deployments/{name}", "/api/deployments/none", expect: 404);
        await Check(HttpMethod.Get, "/api/deployments/{name}/logs", "/api/deployments/web/logs?limit=0", expect: 400);
        await Check(HttpMethod.Get, "/api/deployments/{name}/logs", "/api/deployments/web/logs?since=yesterday", expect: 400);
        await Check(HttpMethod.Get, "/api/deployments/{name}/logs", "/api/deployments/none/logs", expect: 404);
        await Check(HttpMethod.Get, "/api/runtimes", "/api/runtimes", expect: 200);
        await Check(HttpMethod.Get, "/api/runtimes", "/api/runtimes?alive=maybe", expect: 400);
        await Check(HttpMethod.Get, "/api/runtimes/{id}", "/api/runtimes/" + runtime.Id, expect: 200);
        await Check(HttpMethod.Get, "/api/runtimes/{id}", "/api/runtimes/none", expect: 404);
        await Check(HttpMethod.Post, "/api/runtimes/{id}/drain", "/api/runtimes/none/drain", expect: 404);
        await Check(HttpMethod.Post, "/api/runtimes/{id}/drain", "/api/runtimes/none/drain", token: false, expect: 401);
        await Check(HttpMethod.Get, "/api/modules", "/api/modules", expect: 200);
        await Check(HttpMethod.Get, "/api/modules", "/api/modules?runtime=" + runtimeName, expect: 200);
        await Check(HttpMethod.Get, "/api/modules", "/api/modules?runtime=nobody", expect: 400);
        await Check(HttpMethod.Get, "/api/modules/{id}", "/api/modules/" + moduleId, expect: 200);
        await Check(HttpMethod.Get, "/api/modules/{id}", "/api/modules/none", expect: 404);
        await Check(HttpMethod.Get, "/api/artifacts/{hash}", "/api/artifacts/" + hash, expect: 200);
        await Check(HttpMethod.Get, "/api/artifacts/{hash}", "/api/artifacts/nothex", expect: 400);
        await Check(HttpMethod.Get, "/api/artifacts/{hash}", "/api/artifacts/" + new string('0', 64), expect: 404);
        await Check(HttpMethod.Get, "/api/artifacts/{hash}", "/api/artifacts/" + hash, token: false, expect: 401);
        await Check(HttpMethod.Post, "/api/artifacts", "/api/artifacts", new ByteArrayContent(EmptyModule) { Headers = { ContentType = new("application/wasm") } }, expect: 201);
        await Check(HttpMethod.Post, "/api/artifacts", "/api/artifacts", new StringContent("x", Encoding.UTF8, "text/plain"), expect: 415);
        await Check(HttpMethod.Get, "/api/routes", "/api/routes", expect: 200);
        await Check(HttpMethod.Get, "/api/routes", "/api/routes?wait=999", expect: 400);
        await Check(HttpMethod.Delete, "/api/deployments/{name}", "/api/deployments/web", expect: 200);
        await Check(HttpMethod.Delete, "/api/deployments/{name}", "/api/deployments/web", expect: 404);

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<OpenApiDocument> LoadAsync(OrchestratorHost host)
    {
        var text = await host.Client.GetStringAsync("/openapi/v1.json");
        var read = OpenApiDocument.Parse(text, "json");
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        var document = read.Document!;
        var errors = document.Validate(ValidationRuleSet.GetDefaultRuleSet())?.ToList() ?? [];
        Assert.True(errors.Count == 0, "the OpenAPI document breaks the validation rules:\n" + string.Join("\n", errors.Select(e => $"{e.Pointer}: {e.Message}")));
        return document;
    }
}
