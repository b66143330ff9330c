using System.Net;
using System.Net.Http.Headers;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Jobs;

/// <summary>
/// The operator decides which host folder a plugin's <c>files</c> gets, never the manifest (docs/security.md,
/// "Plugins: files, environment, headers"): an uploaded plugin gets its own data folder under the storage path, a
/// plugin of the plugins folder a folder inside the plugins folder, and anything else only under
/// <c>--allowFolders</c>. A runtime with default settings (no token) serves these tests, as an attacker found it.
/// </summary>
public sealed class FileGrantTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;
    private string _storage = null!;
    private string _allowed = null!;
    private string _outside = null!;

    public async ValueTask InitializeAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), "wafer-tests", "grants-" + Guid.NewGuid().ToString("N")[..10]);
        _storage = Path.Combine(root, "storage");
        _allowed = Path.Combine(root, "allowed");
        _outside = Path.Combine(root, "outside");
        Directory.CreateDirectory(_allowed);
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_allowed, "shared.txt"), "allowed content");
        File.WriteAllText(Path.Combine(_outside, "private.txt"), "host secret");
        _server = await RuntimeServer.StartAsync([], o => o.AllowFolders = [_allowed], storagePath: _storage);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        try
        {
            Directory.Delete(Path.GetDirectoryName(_storage)!, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> UploadAsync(string name, string manifest)
    {
        using var form = new MultipartFormDataContent();
        var wasm = new ByteArrayContent(File.ReadAllBytes(TestGuests.Wasm("c-job")));
        wasm.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        form.Add(wasm, "plugin", "c-job.wasm");
        form.Add(new StringContent(name), "name");
        form.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(manifest)), "manifest", "wafer.json");
        using var response = await _server.Client.PostAsync("/api/plugins", form);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<PluginSourceStatus> PlaceInFolderAsync(string name, string files)
    {
        RuntimeServer.CopyGuest("c-job", _server.PluginsPath, name);
        File.WriteAllText(Path.Combine(_server.PluginsPath, name + PluginFolder.ManifestSuffix),
            $$"""{"name":"{{name}}","type":"command","files":{{files}}}""");
        var reloader = _server.Services.GetRequiredService<PluginReloader>();
        await reloader.ScanAsync();
        return reloader.Status.Single(s => s.SourcePath.EndsWith("/" + name + ".wasm", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/etc")]
    [InlineData("../../..")]
    [InlineData("../other-plugin")]
    public async Task Upload_FolderOutsideItsDataFolder_IsRefusedNamingTheFolderAndTheFlag(string path)
    {
        var (status, body) = await UploadAsync("grab", $$$"""{"type":"command","files":{"path":"{{{path}}}"}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var detail = body.GetProperty("detail").GetString()!;
        Assert.StartsWith("cannot load grab: files.path: folder '", detail);
        Assert.Contains($"is outside the plugin's data folder '{Path.Combine(_storage, "data", "grab")}'", detail);
        Assert.Contains("may allow it with --allowFolders (or WAFER_ALLOW_FOLDERS)", detail);
        Assert.False(_server.Catalog.Current.PluginsByName.ContainsKey("grab"));
        Assert.False(File.Exists(Path.Combine(_storage, "uploads", "grab.upload.json")));
        Assert.Equal(HttpStatusCode.NotFound, (await _server.PostJsonAsync("/jobs", """{"plugin":"grab"}""")).Response.StatusCode);
    }

    [Fact]
    public async Task Upload_RelativeFolder_LivesInItsDataFolder_CreatedOnDemand()
    {
        var (status, body) = await UploadAsync("notes", """{"type":"command","files":{"path":"state"}}""");

        Assert.Equal(HttpStatusCode.Created, status);
        var folder = Path.Combine(_storage, "data", "notes", "state");
        Assert.Equal(folder, body.GetProperty("files").GetProperty("path").GetString());
        var job = await _server.RunAsync(new { plugin = "notes", args = new[] { "write", "/data/note.txt", "kept" } });
        Assert.Equal(0, job.ExitCode());
        Assert.Equal("kept", File.ReadAllText(Path.Combine(folder, "note.txt")));
    }

    [Fact]
    public async Task Upload_AllowedFolder_IsGranted()
    {
        var (status, _) = await UploadAsync("reader", $$$"""{"type":"command","files":{"path":"{{{_allowed}}}","readOnly":true}}""");

        Assert.Equal(HttpStatusCode.Created, status);
        var job = await _server.RunAsync(new { plugin = "reader", args = new[] { "read", "/data/shared.txt" } });
        Assert.Equal("allowed content", job.Stdout());
    }

    [Fact]
    public async Task FolderPlugin_HostFolderOutsideThePluginsFolder_IsRefusedAtLoad()
    {
        var status = await PlaceInFolderAsync("grab-root", """{"path":"/"}""");

        Assert.Equal(PluginSourceStatus.Refused, status.State);
        Assert.StartsWith("files.path: folder '/' is outside the plugins folder '", status.Error);
        Assert.EndsWith("may allow it with --allowFolders (or WAFER_ALLOW_FOLDERS)", status.Error);
        Assert.Equal(HttpStatusCode.NotFound, (await _server.PostJsonAsync("/jobs", """{"plugin":"grab-root"}""")).Response.StatusCode);
    }

    [Fact]
    public async Task FolderPlugin_ThePluginsFolderItself_IsRefused()
    {
        var status = await PlaceInFolderAsync("grab-env", """{"path":"."}""");

        Assert.Equal(PluginSourceStatus.Refused, status.State);
        Assert.Equal($"files.path: folder '{_server.PluginsPath}' is the plugins folder itself, which holds every plugin and the .env secrets; grant a folder inside it", status.Error);
    }

    [Fact]
    public async Task FolderPlugin_FolderInsideThePluginsFolder_OrAllowed_IsGranted()
    {
        Directory.CreateDirectory(Path.Combine(_server.PluginsPath, "site-data"));

        Assert.Null((await PlaceInFolderAsync("inside", """{"path":"site-data"}""")).Error);
        Assert.Null((await PlaceInFolderAsync("allowed", $$"""{"path":"{{_allowed}}"}""")).Error);
        var job = await _server.RunAsync(new { plugin = "allowed", args = new[] { "read", "/data/shared.txt" } });
        Assert.Equal("allowed content", job.Stdout());
    }

    [Fact]
    public async Task FolderPlugin_SymbolicLinkOutOfThePluginsFolder_IsRefused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_server.PluginsPath, "escape"), _outside);

        var status = await PlaceInFolderAsync("linked", """{"path":"escape"}""");

        Assert.Equal(PluginSourceStatus.Refused, status.State);
        Assert.Contains($"(a symbolic link leads to '{_outside}') is outside the plugins folder", status.Error);
    }

    [Fact]
    public async Task SymbolicLinkInsideAGrantedFolder_CannotBeFollowedOut()
    {
        var granted = Path.Combine(_server.PluginsPath, "granted");
        Directory.CreateDirectory(granted);
        File.CreateSymbolicLink(Path.Combine(granted, "private.txt"), Path.Combine(_outside, "private.txt"));
        Directory.CreateSymbolicLink(Path.Combine(granted, "out"), _outside);
        Assert.Null((await PlaceInFolderAsync("follower", """{"path":"granted"}""")).Error);

        var file = await _server.RunAsync(new { plugin = "follower", args = new[] { "read", "/data/private.txt" } });
        var folder = await _server.RunAsync(new { plugin = "follower", args = new[] { "read", "/data/out/private.txt" } });

        Assert.Equal(2, file.ExitCode());
        Assert.Equal("", file.Stdout());
        Assert.Equal(2, folder.ExitCode());
        Assert.Equal("", folder.Stdout());
    }
}
