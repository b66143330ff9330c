using System.Net;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Jobs;

/// <summary>Manifest <c>files</c>: a job sees its one granted folder as /data and nothing else of the host.</summary>
public sealed class JobFilesTests : IAsyncLifetime
{
    private RuntimeServer _server = null!;
    private string _data = null!;

    public async ValueTask InitializeAsync()
    {
        _server = await RuntimeServer.StartAsync([]);
        _data = Path.Combine(_server.PluginsPath, "job-data");
        Directory.CreateDirectory(_data);
        File.WriteAllText(Path.Combine(_data, "input.txt"), "granted content");
        File.WriteAllText(Path.Combine(_server.PluginsPath, "secret.txt"), "not for guests");
        RuntimeServer.CopyGuest("c-job", _server.PluginsPath, "files-rw");
        RuntimeServer.CopyGuest("c-job", _server.PluginsPath, "files-ro");
        File.WriteAllText(Path.Combine(_server.PluginsPath, "files-rw.wafer.json"),
            """{"name":"files-rw","type":"command","files":{"path":"job-data"}}""");
        File.WriteAllText(Path.Combine(_server.PluginsPath, "files-ro.wafer.json"),
            """{"name":"files-ro","type":"command","files":{"path":"job-data","readOnly":true}}""");
        await _server.Services.GetRequiredService<PluginReloader>().ScanAsync();
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task FileInsideTheGrantedFolder_CanBeRead()
    {
        var job = await _server.RunAsync(new { plugin = "files-ro", args = new[] { "read", "/data/input.txt" } });

        Assert.Equal(0, job.ExitCode());
        Assert.Equal("granted content", job.Stdout());
    }

    [Fact]
    public async Task GrantedFolder_CanBeListed()
    {
        var job = await _server.RunAsync(new { plugin = "files-ro", args = new[] { "list", "/data" } });

        Assert.Equal("input.txt\n", job.Stdout());
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("/data/../secret.txt")]
    [InlineData("/data/../../../../etc/passwd")]
    [InlineData("../secret.txt")]
    [InlineData("/secret.txt")]
    public async Task FileOutsideTheGrantedFolder_CannotBeOpened(string path)
    {
        var job = await _server.RunAsync(new { plugin = "files-rw", args = new[] { "read", path } });

        Assert.Equal("exited", job.Status());
        Assert.Equal(2, job.ExitCode());
        Assert.StartsWith(path + ": ", job.Stderr());
        Assert.Equal("", job.Stdout());
    }

    [Fact]
    public async Task WritableFolder_TakesNewFiles()
    {
        var job = await _server.RunAsync(new { plugin = "files-rw", args = new[] { "write", "/data/out.txt", "written by a job" } });

        Assert.Equal(0, job.ExitCode());
        Assert.Equal("written by a job", File.ReadAllText(Path.Combine(_data, "out.txt")));
    }

    [Fact]
    public async Task ReadOnlyFolder_RefusesWrites()
    {
        var job = await _server.RunAsync(new { plugin = "files-ro", args = new[] { "write", "/data/nope.txt", "x" } });

        Assert.Equal(2, job.ExitCode());
        Assert.False(File.Exists(Path.Combine(_data, "nope.txt")));
    }

    [Fact]
    public async Task MissingGrantedFolder_RefusesThePlugin()
    {
        RuntimeServer.CopyGuest("c-job", _server.PluginsPath, "files-missing");
        File.WriteAllText(Path.Combine(_server.PluginsPath, "files-missing.wafer.json"),
            """{"name":"files-missing","type":"command","files":{"path":"no-such-folder"}}""");
        await _server.Services.GetRequiredService<PluginReloader>().ScanAsync();

        var status = _server.Services.GetRequiredService<PluginReloader>().Status
            .Single(s => s.SourcePath.EndsWith("files-missing.wasm", StringComparison.Ordinal));
        Assert.Equal("refused", status.State);
        Assert.Contains("files.path: folder", status.Error);
        Assert.Contains("no-such-folder' does not exist", status.Error);
        var (response, _) = await _server.PostJsonAsync("/jobs", """{"plugin":"files-missing"}""");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
