using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Api;

public sealed class DeploymentApiTests
{
    private static readonly byte[] EmptyModule = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static StringContent JsonBody(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    private static object Inline(string name = "web", int replicas = 1) =>
        new { plugin = Convert.ToBase64String(EmptyModule), manifest = new { name }, replicas };

    private static async Task<JsonElement> WaitRunningAsync(OrchestratorHost host, string name, int running = 1)
    {
        JsonElement deployment = default;
        await Eventually.TrueAsync(async () =>
        {
            deployment = await host.GetJsonAsync($"/api/deployments/{name}");
            var status = deployment.GetProperty("status");
            return status.GetProperty("state").GetString() == "running" && status.GetProperty("running").GetInt32() == running;
        }, $"{name} runs {running} replica(s)");
        return deployment;
    }

    [Fact]
    public async Task Deploy_InlinePlugin_RunsOnRuntimeThatVerifiedTheHash()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl);
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey(runtime.Id), "the runtime joined");

        using var response = await host.Client.PostAsync("/api/deployments", JsonBody(Inline()));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("/api/deployments/web", response.Headers.Location?.OriginalString);
        var deployment = await WaitRunningAsync(host, "web");
        Assert.Equal(Sha(EmptyModule), deployment.GetProperty("hash").GetString());
        var create = Assert.Single(runtime.Modules.Values);
        Assert.Equal("web", create.Plugin);
        Assert.Equal("web", create.Manifest.GetProperty("name").GetString());

        var module = await host.GetJsonAsync($"/api/modules/{create.ModuleId}");
        Assert.Equal(create.ModuleId, module.GetProperty("uuid").GetString());
        Assert.Equal("web", module.GetProperty("name").GetString());
        Assert.Equal(runtime.Id, module.GetProperty("parent").GetString());
        Assert.Equal("web.wasm", module.GetProperty("filename").GetString());
        Assert.True(module.GetProperty("alive").GetBoolean());
        Assert.Equal(runtime.Url, module.GetProperty("runtimeUrl").GetString());

        var detail = await host.GetJsonAsync($"/api/runtimes/{runtime.Id}");
        Assert.Equal(create.ModuleId, detail.GetProperty("children")[0].GetProperty("uuid").GetString());
        Assert.True(detail.GetProperty("alive").GetBoolean());
        Assert.Equal(runtime.Id, (await host.GetJsonAsync($"/api/runtimes/{runtime.Id}")).GetProperty("uuid").GetString());
        Assert.Equal(1, (await host.GetJsonAsync("/api/modules")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Deploy_SameNameAgain_UpdatesWith200()
    {
        await using var host = await OrchestratorHost.StartAsync();

        using var first = await host.Client.PostAsync("/api/deployments", JsonBody(Inline(replicas: 1)));
        using var second = await host.Client.PostAsync("/api/deployments", JsonBody(Inline(replicas: 2)));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var list = await host.GetJsonAsync("/api/deployments");
        Assert.Equal(2, list.GetProperty("deployments")[0].GetProperty("replicas").GetInt32());
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/api/deployments/web")).GetProperty("status").GetProperty("reason").GetString()
            is { } reason && reason.Contains("no runtime is online", StringComparison.Ordinal), "the status says why nothing runs");
    }

    [Fact]
    public async Task Artifact_UploadedThenDeployedByHash_AndDownloadable()
    {
        await using var host = await OrchestratorHost.StartAsync();
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(EmptyModule), "plugin", "greeter.wasm" },
            { new StringContent("{ \"name\": \"greeter\", // comments are fine\n \"limits\": { \"timeoutMs\": 500 }, }"), "manifest" },
        };

        using var upload = await host.Client.PostAsync("/api/artifacts", form);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var artifact = await upload.Content.ReadFromJsonAsync<JsonElement>();
        var hash = artifact.GetProperty("hash").GetString()!;
        Assert.Equal(Sha(EmptyModule), hash);

        using var deploy = await host.Client.PostAsync("/api/deployments", JsonBody(new { hash }));
        Assert.Equal(HttpStatusCode.Created, deploy.StatusCode);
        var deployment = await deploy.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("greeter", deployment.GetProperty("name").GetString());
        var stored = host.View.Current.Deployments["greeter"];
        Assert.Equal(500, JsonDocument.Parse(stored.Manifest).RootElement.GetProperty("limits").GetProperty("timeoutMs").GetInt32());

        using var download = await host.Client.GetAsync($"/api/artifacts/{hash}");
        Assert.Equal("application/wasm", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(EmptyModule, await download.Content.ReadAsByteArrayAsync());
        Assert.True(File.Exists(Path.Combine(host.Options.StoragePath, "artifacts", hash[..2], hash + ".wasm")));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync($"/api/artifacts/{new string('0', 64)}")).StatusCode);
    }

    public static TheoryData<string, string, string> BadRequests => new()
    {
        { "application/json", "not json", "not a valid deployment" },
        { "application/json", """{"name":"web"}""", "send the plugin" },
        { "application/json", """{"name":"web","plugin":"%%%"}""", "base64" },
        { "application/json", $$"""{"name":"web","plugin":"{{Convert.ToBase64String("hello"u8.ToArray())}}"}""", "not a WebAssembly module" },
        { "application/json", $$"""{"name":"Bad Name","plugin":"{{Convert.ToBase64String(EmptyModule)}}"}""", "name 'Bad Name'" },
        { "application/json", $$"""{"name":"web","plugin":"{{Convert.ToBase64String(EmptyModule)}}","replicas":-1}""", "replicas must be between 0 and 1000" },
        { "application/json", $$"""{"name":"web","plugin":"{{Convert.ToBase64String(EmptyModule)}}","labels":{"bad key!":"x"} }""", "labels: key 'bad key!'" },
        { "application/json", $$"""{"name":"web","hash":"{{new string('e', 64)}}"}""", "no artifact with hash" },
        { "application/json", """{"name":"web","hash":"xyz"}""", "not a SHA-256 hash" },
        { "application/json", $$"""{"plugin":"{{Convert.ToBase64String(EmptyModule)}}","manifest":{"name":"web","limits":{"timeoutMs":0} } }""", "timeoutMs" },
        { "application/json", $$"""{"name":"web","plugin":"{{Convert.ToBase64String(EmptyModule)}}","hash":"{{new string('a', 64)}}"}""", "does not match" },
        { "application/json", $$"""{"plugin":"{{Convert.ToBase64String(EmptyModule)}}"}""", "needs a name" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Deploy_BadInput_ProblemDetailsSayWhatIsWrong_NothingChanges(string contentType, string body, string detailPart)
    {
        await using var host = await OrchestratorHost.StartAsync();

        using var response = await host.Client.PostAsync("/api/deployments", new StringContent(body, Encoding.UTF8, contentType));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(detailPart, problem.GetProperty("detail").GetString());
        Assert.Equal(0, (await host.GetJsonAsync("/api/deployments")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Deploy_UnsupportedMediaType_415()
    {
        await using var host = await OrchestratorHost.StartAsync();

        using var response = await host.Client.PostAsync("/api/deployments", new StringContent("hello", Encoding.UTF8, "text/plain"));
        using var upload = await host.Client.PostAsync("/api/artifacts", new StringContent("hello", Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("send the deployment as application/json or multipart/form-data, not 'text/plain; charset=utf-8'",
            (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, upload.StatusCode);
        Assert.StartsWith("send the plugin as multipart/form-data", (await upload.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(0, (await host.GetJsonAsync("/api/deployments")).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Metrics_FleetByState_AtEachScrape()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl);
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey(runtime.Id), "the runtime joined");
        (await host.Client.PostAsync("/api/deployments", JsonBody(Inline()))).Dispose();
        await WaitRunningAsync(host, "web");

        var text = await host.Client.GetStringAsync("/metrics");
        var lines = text.Split('\n');

        Assert.Contains("wafer_fleet_deployments 1", lines);
        Assert.Contains("""wafer_fleet_runtimes{state="online"} 1""", lines);
        Assert.Contains("""wafer_fleet_runtimes{state="offline"} 0""", lines);
        Assert.Contains("""wafer_fleet_modules{state="running"} 1""", lines);
        Assert.Contains("""wafer_fleet_modules{state="pending"} 0""", lines);
        Assert.Contains(lines, l => l.StartsWith("""wafer_reconciler_lag_seconds_bucket{le="+Inf"} """, StringComparison.Ordinal));
        Assert.True(lines.Single(l => l.StartsWith("wafer_reconciler_lag_seconds_count ", StringComparison.Ordinal)).Split(' ')[1] is var count && int.Parse(count) > 0,
            "the reconciler applied events, so the lag histogram counted them");
        await Promtool.AssertValidAsync(text, "an orchestrator");
    }

    [Fact]
    public async Task Stop_DeletesModulesFromRuntime()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl);
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey(runtime.Id), "the runtime joined");
        (await host.Client.PostAsync("/api/deployments", JsonBody(Inline()))).Dispose();
        await WaitRunningAsync(host, "web");

        using var stop = await host.Client.DeleteAsync("/api/deployments/web");

        Assert.Equal(HttpStatusCode.OK, stop.StatusCode);
        await Eventually.TrueAsync(() => runtime.Modules.IsEmpty && host.View.Current.Modules.IsEmpty, "the module is deleted");
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.DeleteAsync("/api/deployments/web")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/deployments/web")).StatusCode);
    }

    [Fact]
    public async Task Drain_ModuleMovesThenRuntimeIsGrantedShutdown()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var first = await FakeRuntime.StartAsync(host.BrokerUrl, "first");
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey("first"), "first joined");
        (await host.Client.PostAsync("/api/deployments", JsonBody(Inline()))).Dispose();
        await WaitRunningAsync(host, "web");
        await using var second = await FakeRuntime.StartAsync(host.BrokerUrl, "second");
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey("second"), "second joined");

        using var drain = await host.Client.PostAsync("/api/runtimes/first/drain", null);

        Assert.Equal(HttpStatusCode.Accepted, drain.StatusCode);
        await Eventually.TrueAsync(() => first.Commands.Any(c => c.Body is ShutdownBody), "first is granted shutdown");
        Assert.Empty(first.Modules);
        Assert.Single(second.Modules);
        var commands = first.Commands.Select(c => c.Type).ToList();
        Assert.True(commands.IndexOf(MessageTypes.DeleteModule) < commands.IndexOf(MessageTypes.Shutdown));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.PostAsync("/api/runtimes/nope/drain", null)).StatusCode);
    }

    [Fact]
    public async Task LastWill_CrashedRuntime_ReplacedOnAnother()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var first = await FakeRuntime.StartAsync(host.BrokerUrl, "first");
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey("first"), "first joined");
        (await host.Client.PostAsync("/api/deployments", JsonBody(Inline()))).Dispose();
        await WaitRunningAsync(host, "web");
        await using var second = await FakeRuntime.StartAsync(host.BrokerUrl, "second");
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey("second"), "second joined");

        await first.CrashAsync();

        await Eventually.TrueAsync(() => second.Modules.Count == 1, "the module is recreated on second");
        var runtime = await host.GetJsonAsync("/api/runtimes/first");
        Assert.False(runtime.GetProperty("alive").GetBoolean());
        Assert.Equal("offline", runtime.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Logs_FetchedFromHostingRuntimes()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl);
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey(runtime.Id), "the runtime joined");
        (await host.Client.PostAsync("/api/deployments", JsonBody(Inline()))).Dispose();
        await WaitRunningAsync(host, "web");

        var logs = await host.GetJsonAsync("/api/deployments/web/logs?function=hello");

        var lines = logs.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(["hello from web/hello of web", "call failed: trap: unreachable"], lines.Select(l => l.GetProperty("message").GetString()));
        Assert.Equal(runtime.Id, lines[0].GetProperty("runtime").GetString());
        Assert.Equal([null, "trap"], lines.Select(l => l.GetProperty("cause").GetString()));
        Assert.Empty(logs.GetProperty("errors").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Client.GetAsync("/api/deployments/web/logs?limit=0")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.GetAsync("/api/deployments/nope/logs")).StatusCode);
    }

    [Fact]
    public async Task OpenApi_DocumentDescribesTheApi()
    {
        await using var host = await OrchestratorHost.StartAsync();

        var document = await host.GetJsonAsync("/openapi/v1.json");

        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/api/runtimes", "/api/runtimes/{id}", "/api/runtimes/{id}/drain", "/api/modules", "/api/modules/{id}",
                     "/api/deployments", "/api/deployments/{name}", "/api/deployments/{name}/logs", "/api/artifacts", "/api/artifacts/{hash}" })
        {
            Assert.True(paths.TryGetProperty(path, out _), $"the OpenAPI document lacks {path}");
        }

        var deployBody = paths.GetProperty("/api/deployments").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.Equal(["application/json", "multipart/form-data"], deployBody.EnumerateObject().Select(p => p.Name).Order().ToArray());
        Assert.True(deployBody.GetProperty("application/json").TryGetProperty("schema", out _));
        var uploadBody = paths.GetProperty("/api/artifacts").GetProperty("post").GetProperty("requestBody").GetProperty("content");
        Assert.True(uploadBody.TryGetProperty("application/wasm", out _));
    }

    [Fact]
    public async Task Token_ControlOperationsNeedIt_ReadsDoNot()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = "s3cret");

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.PostAsync("/api/deployments", JsonBody(Inline()))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.DeleteAsync("/api/deployments/web")).StatusCode);
        // Without the token, the content type is not looked at: 401, not 415.
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.PostAsync("/api/deployments", new StringContent("x", Encoding.UTF8, "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.PostAsync("/api/artifacts", new StringContent("x", Encoding.UTF8, "text/plain"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/api/deployments")).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/deployments") { Content = JsonBody(Inline()) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        Assert.Equal(HttpStatusCode.Created, (await host.Client.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Client.GetAsync($"/api/artifacts/{Sha(EmptyModule)}")).StatusCode);
    }

    [Fact]
    public async Task Deploy_AnsweredOnlyOnceReadsSeeIt()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl);
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey(runtime.Id), "the runtime joined");

        for (var i = 0; i < 20; i++)
        {
            var name = $"web-{i}";
            var body = $$"""{"name":"{{name}}","plugin":"{{Convert.ToBase64String(EmptyModule)}}","replicas":1}""";
            using var created = await host.Client.PostAsync("/api/deployments", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            using var read = await host.Client.GetAsync($"/api/deployments/{name}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
    }

    [Fact]
    public async Task Token_CommandsAreSignedWithIt()
    {
        await using var host = await OrchestratorHost.StartAsync(o => o.ApiToken = "s3cret");
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl, null, "s3cret");
        runtime.ArtifactToken = "s3cret";
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey(runtime.Id), "the runtime joined");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/deployments") { Content = JsonBody(Inline()) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret");
        Assert.Equal(HttpStatusCode.Created, (await host.Client.SendAsync(request)).StatusCode);
        await WaitRunningAsync(host, "web");

        Assert.NotEmpty(runtime.Signed);
        var key = Wafer.Protocol.Security.FleetKeys.Runtime("s3cret", runtime.Id);
        Assert.All(runtime.Signed, c => Assert.True(MessageSignature.Matches(key, Topics.Default.Commands(runtime.Id), c.Payload, c.Signature), $"signature {c.Signature ?? "(none)"}"));
        // bound to this runtime: the same signature does not verify for another runtime's key or topic
        var other = Guid.NewGuid().ToString("D");
        Assert.All(runtime.Signed, c => Assert.False(MessageSignature.Matches(Wafer.Protocol.Security.FleetKeys.Runtime("s3cret", other), Topics.Default.Commands(other), c.Payload, c.Signature)));
    }

    [Fact]
    public async Task NoToken_CommandsAreUnsigned()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl);
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey(runtime.Id), "the runtime joined");

        Assert.Equal(HttpStatusCode.Created, (await host.Client.PostAsync("/api/deployments", JsonBody(Inline()))).StatusCode);
        await WaitRunningAsync(host, "web");

        Assert.NotEmpty(runtime.Signed);
        Assert.All(runtime.Signed, c => Assert.Null(c.Signature));
    }

    [Fact]
    public async Task Runtimes_UnknownId_ProblemDetails404()
    {
        await using var host = await OrchestratorHost.StartAsync();

        using var response = await host.Client.GetAsync("/api/runtimes/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nope", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
    }
}
