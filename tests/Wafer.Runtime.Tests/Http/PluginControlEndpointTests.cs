using System.Net;
using System.Net.Http.Headers;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Http;

/// <summary>
/// <c>POST /api/plugins</c> and <c>DELETE /api/plugins/{name}</c> (deploying straight to a runtime) behind the API
/// token, beside a folder plugin; <c>GET /api/info</c>; function routes stay public.
/// </summary>
public sealed class PluginControlEndpointTests : IAsyncLifetime
{
    private const string Token = "runtime-test-token";
    private RuntimeServer _server = null!;
    private string _storage = null!;

    public async ValueTask InitializeAsync()
    {
        _storage = Path.Combine(Path.GetTempPath(), "wafer-tests", Guid.NewGuid().ToString("N")[..12]);
        _server = await RuntimeServer.StartAsync(["echo"], o => o.ApiToken = Token, storagePath: _storage);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static MultipartFormDataContent Upload(string guest, string? name, string? config = null)
    {
        var form = new MultipartFormDataContent();
        var wasm = new ByteArrayContent(File.ReadAllBytes(TestGuests.Wasm(guest)));
        wasm.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        form.Add(wasm, "plugin", guest + ".wasm");
        if (name is not null)
        {
            form.Add(new StringContent(name), "name");
        }

        if (config is not null)
        {
            form.Add(new StringContent(config), "config");
        }

        return form;
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, HttpContent? content, string? token)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _server.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Info_SaysRuntimeAndThatControlNeedsAToken()
    {
        var (status, body) = await SendAsync(HttpMethod.Get, "/api/info", null, null);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("runtime", body.GetProperty("kind").GetString());
        Assert.True(body.GetProperty("controlNeedsToken").GetBoolean());
        Assert.False(body.GetProperty("joined").GetBoolean());
    }

    [Fact]
    public async Task Upload_WithoutOrWithAWrongToken_IsRefusedAndChangesNothing()
    {
        var (missing, why) = await SendAsync(HttpMethod.Post, "/api/plugins", Upload("echo", "copy"), null);
        Assert.Equal(HttpStatusCode.Unauthorized, missing);
        Assert.Equal("this operation needs 'Authorization: Bearer TOKEN' with the runtime's API token (--token or WAFER_TOKEN)", why.GetProperty("detail").GetString());

        var (wrong, whyWrong) = await SendAsync(HttpMethod.Post, "/api/plugins", Upload("echo", "copy"), "not-it");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong);
        Assert.Equal("the bearer token is not the runtime's API token", whyWrong.GetProperty("detail").GetString());

        var (deleted, _) = await SendAsync(HttpMethod.Delete, "/api/plugins/echo", null, "not-it");
        Assert.Equal(HttpStatusCode.Unauthorized, deleted);
        Assert.False(_server.Catalog.Current.PluginsByName.ContainsKey("copy"));
        Assert.True(_server.Catalog.Current.PluginsByName.ContainsKey("echo"));
    }

    [Fact]
    public async Task Upload_ServesAtOnce_ReplacesItself_KeepsItOnDisk_AndStops()
    {
        var (created, body) = await SendAsync(HttpMethod.Post, "/api/plugins", Upload("echo", "copy", """{"mode":"a"}"""), Token);
        Assert.Equal(HttpStatusCode.Created, created);
        Assert.Equal("copy", body.GetProperty("name").GetString());
        Assert.Equal("upload:copy", body.GetProperty("source").GetString());

        // The function route is public: no token.
        var (call, result) = await _server.PostJsonAsync("/functions/copy/hello", "");
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        Assert.Equal("hello", result.GetProperty("result").GetString());

        var record = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_storage, "uploads", "copy.upload.json"))).RootElement;
        Assert.Equal("a", record.GetProperty("manifest").GetProperty("config").GetProperty("mode").GetString());
        var hash = record.GetProperty("hash").GetString()!;
        Assert.Equal(await File.ReadAllBytesAsync(TestGuests.Wasm("echo")), await File.ReadAllBytesAsync(Path.Combine(_storage, "artifacts", hash[..2], hash + ".wasm")));

        var (replaced, _) = await SendAsync(HttpMethod.Post, "/api/plugins", Upload("echo", "copy"), Token);
        Assert.Equal(HttpStatusCode.OK, replaced);

        var (stopped, stopBody) = await SendAsync(HttpMethod.Delete, "/api/plugins/copy", null, Token);
        Assert.Equal(HttpStatusCode.OK, stopped);
        Assert.True(stopBody.GetProperty("stopped").GetBoolean());
        Assert.False(File.Exists(Path.Combine(_storage, "uploads", "copy.upload.json")));
        Assert.False(File.Exists(Path.Combine(_storage, "artifacts", hash[..2], hash + ".wasm")));
        var (again, problem) = await SendAsync(HttpMethod.Delete, "/api/plugins/copy", null, Token);
        Assert.Equal(HttpStatusCode.NotFound, again);
        Assert.Equal("no plugin named 'copy' is loaded", problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task ControlRequestsFromAnotherSite_Are403_EvenWithTheToken_AndChangeNothing()
    {
        async Task<(HttpStatusCode Status, JsonElement Body)> FromEvilAsync(HttpMethod method, string path, HttpContent? content)
        {
            using var request = new HttpRequestMessage(method, path) { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            request.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
            using var response = await _server.Client.SendAsync(request);
            return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        }

        var (upload, why) = await FromEvilAsync(HttpMethod.Post, "/api/plugins", Upload("echo", "copy"));
        var (delete, _) = await FromEvilAsync(HttpMethod.Delete, "/api/plugins/echo", null);
        var (job, _) = await FromEvilAsync(HttpMethod.Post, "/jobs", new StringContent("""{"plugin":"echo"}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, upload);
        Assert.Equal("cross_site", why.GetProperty("cause").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, delete);
        Assert.Equal(HttpStatusCode.Forbidden, job);
        Assert.False(_server.Catalog.Current.PluginsByName.ContainsKey("copy"));
        Assert.True(_server.Catalog.Current.PluginsByName.ContainsKey("echo"));
    }

    [Fact]
    public async Task FunctionCallsAndReads_FromAnotherSite_StayOpen()
    {
        using var call = new HttpRequestMessage(HttpMethod.Post, "/functions/hello") { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        call.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
        using var graphql = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent("""{"query":"{ hello }"}""", System.Text.Encoding.UTF8, "application/json") };
        graphql.Headers.TryAddWithoutValidation("Origin", "https://evil.example");
        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/plugins");
        read.Headers.TryAddWithoutValidation("Origin", "https://evil.example");

        Assert.Equal(HttpStatusCode.OK, (await _server.Client.SendAsync(call)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.SendAsync(graphql)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.SendAsync(read)).StatusCode);
    }

    [Fact]
    public async Task Upload_FromTheServersOwnOrigin_Passes()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/plugins") { Content = Upload("echo", "own") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        request.Headers.TryAddWithoutValidation("Origin", _server.Client.BaseAddress!.GetLeftPart(UriPartial.Authority));

        using var response = await _server.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Upload_OfAFolderPluginsName_IsAConflict_AndTheFolderPluginCannotBeStoppedHere()
    {
        var (status, body) = await SendAsync(HttpMethod.Post, "/api/plugins", Upload("echo", "echo"), Token);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.StartsWith("plugin 'echo' is already served here from ", body.GetProperty("detail").GetString());

        var (stop, why) = await SendAsync(HttpMethod.Delete, "/api/plugins/echo", null, Token);
        Assert.Equal(HttpStatusCode.Conflict, stop);
        Assert.Contains("only uploaded plugins can be removed here", why.GetProperty("detail").GetString());
        Assert.True(_server.Catalog.Current.PluginsByName.ContainsKey("echo"));
    }

    [Fact]
    public async Task Upload_BadInput_IsABadRequestSayingWhat()
    {
        var raw = new ByteArrayContent(File.ReadAllBytes(TestGuests.Wasm("echo")));
        raw.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        var (noName, why) = await SendAsync(HttpMethod.Post, "/api/plugins", raw, Token);
        Assert.Equal(HttpStatusCode.BadRequest, noName);
        Assert.Equal("an application/wasm body needs ?name=PLUGIN", why.GetProperty("detail").GetString());

        var junk = new MultipartFormDataContent { { new ByteArrayContent("not wasm"u8.ToArray()), "plugin", "junk.wasm" } };
        var (bad, badWhy) = await SendAsync(HttpMethod.Post, "/api/plugins", junk, Token);
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.StartsWith("cannot load junk: ", badWhy.GetProperty("detail").GetString());

        var (badName, nameWhy) = await SendAsync(HttpMethod.Post, "/api/plugins", Upload("echo", "Not A Name"), Token);
        Assert.Equal(HttpStatusCode.BadRequest, badName);
        Assert.Contains("plugin name 'Not A Name' is not valid", nameWhy.GetProperty("detail").GetString());

        var (badConfig, configWhy) = await SendAsync(HttpMethod.Post, "/api/plugins", Upload("echo", "copy", "[1]"), Token);
        Assert.Equal(HttpStatusCode.BadRequest, badConfig);
        Assert.StartsWith("config must be a JSON object of strings", configWhy.GetProperty("detail").GetString());

        var body = new ByteArrayContent(File.ReadAllBytes(TestGuests.Wasm("echo")));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        var (rawOk, rawBody) = await SendAsync(HttpMethod.Post, "/api/plugins?name=raw", body, Token);
        Assert.Equal(HttpStatusCode.Created, rawOk);
        Assert.Equal("raw", rawBody.GetProperty("name").GetString());
    }
}
