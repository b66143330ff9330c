using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Tests.Capabilities.Support;
using Wafer.Runtime.Tests.Support;

namespace Wafer.Runtime.Tests.Catalog;

/// <summary>
/// The runtime's one file store of uploaded and placed wasm (<c>STORAGE/artifacts</c>) when a runtime starts on a
/// storage folder an earlier run left: a wasm no record names (stored just before a crash kept its record from being
/// written) and the temporary file of an interrupted write are deleted and logged with their count and bytes, while
/// every wasm an upload or a placed module names stays and is served; an upload kept in the layout before the store
/// (<c>uploads/NAME.wasm</c> beside <c>NAME.wafer.json</c>) moves into it and is served.
/// </summary>
public sealed class PluginFilesStartTests : IDisposable
{
    private readonly string _storage = Path.Combine(Path.GetTempPath(), "wafer-tests", Guid.NewGuid().ToString("N")[..12]);

    [Fact]
    public async Task Start_DeletesWasmNoRecordNamesAndUnfinishedWrites_KeepsAndServesTheNamedOnes()
    {
        await using (var first = await RuntimeServer.StartAsync([], storagePath: _storage))
        {
            using var uploaded = await UploadAsync(first, "hello", "site");
            Assert.Equal(HttpStatusCode.Created, uploaded.StatusCode);
        }

        var artifacts = Path.Combine(_storage, "artifacts");
        var hello = await StoredPathAsync("hello");
        Assert.True(File.Exists(hello), "the upload's wasm is in the store");
        var placed = await StoreAsync("naming"); // named by a placed module's record
        Directory.CreateDirectory(Path.Combine(_storage, "modules"));
        await File.WriteAllTextAsync(Path.Combine(_storage, "modules", "0123456789abcdef0123456789abcdef.json"),
            $$"""{"moduleId":"m-1","name":"named","hash":"{{Path.GetFileNameWithoutExtension(placed).ToUpperInvariant()}}"}""");
        var orphan = await StoreAsync("echo"); // no record names it
        var orphanBytes = new FileInfo(orphan).Length;
        var unfinished = orphan + ".0badf00d.tmp";
        await File.WriteAllBytesAsync(unfinished, new byte[300]);

        var log = new CapturingLoggerProvider();
        await using var restarted = await RuntimeServer.StartAsync([], storagePath: _storage, services: s =>
        {
            s.AddSingleton<ILoggerProvider>(log);
            s.Configure<LoggerFilterOptions>(o => o.Rules.Insert(0, new LoggerFilterRule(typeof(CapturingLoggerProvider).FullName, null, LogLevel.Trace, null)));
        });

        Assert.False(File.Exists(orphan), "the wasm no record names is gone");
        Assert.False(File.Exists(unfinished), "the unfinished write is gone");
        Assert.True(File.Exists(hello), "the upload's wasm stays");
        Assert.True(File.Exists(placed), "the placed module's wasm stays");
        Assert.Equal(2, Directory.GetFiles(artifacts, "*", SearchOption.AllDirectories).Length);
        Assert.Contains($"[OrphanPluginFilesDeleted] Deleted 1 wasm file(s) ({orphanBytes} bytes) under {artifacts}", log.All, StringComparison.Ordinal);
        Assert.Contains($"[OrphanPluginFileDeleted] Deleted wasm {Path.GetFileNameWithoutExtension(orphan)} ({orphanBytes} bytes)", log.All, StringComparison.Ordinal);
        Assert.Contains($"[PluginFileLeftoversDeleted] Deleted 1 unfinished wasm file(s) (300 bytes) under {artifacts}", log.All, StringComparison.Ordinal);

        using var served = await restarted.Client.PostAsync("/functions/site/hello", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task Start_WithAnUploadInTheEarlierLayout_MovesItIntoTheStoreAndServesIt()
    {
        var uploads = Path.Combine(_storage, "uploads");
        Directory.CreateDirectory(uploads);
        File.Copy(TestGuests.Wasm("hello"), Path.Combine(uploads, "site.wasm"));
        await File.WriteAllTextAsync(Path.Combine(uploads, "site.wafer.json"), """{"name":"site","config":{"kept":"yes"}}""");

        await using var server = await RuntimeServer.StartAsync([], storagePath: _storage);

        using var served = await server.Client.PostAsync("/functions/site/hello", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(["site.upload.json"], Directory.GetFiles(uploads).Select(Path.GetFileName));
        var record = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(uploads, "site.upload.json"))).RootElement;
        var hash = Hash(await File.ReadAllBytesAsync(TestGuests.Wasm("hello")));
        Assert.Equal(hash, record.GetProperty("hash").GetString());
        Assert.Equal("yes", record.GetProperty("manifest").GetProperty("config").GetProperty("kept").GetString());
        Assert.True(File.Exists(Path.Combine(_storage, "artifacts", hash[..2], hash + ".wasm")), "the wasm moved into the store");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_storage, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<string> StoredPathAsync(string guest)
    {
        var hash = Hash(await File.ReadAllBytesAsync(TestGuests.Wasm(guest)));
        return Path.Combine(_storage, "artifacts", hash[..2], hash + ".wasm");
    }

    /// <summary>Puts a test guest into the store as the runtime would, without a record.</summary>
    private async Task<string> StoreAsync(string guest)
    {
        var path = await StoredPathAsync(guest);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.Copy(TestGuests.Wasm(guest), path);
        return path;
    }

    private static string Hash(byte[] wasm) => Convert.ToHexStringLower(SHA256.HashData(wasm));

    private static async Task<HttpResponseMessage> UploadAsync(RuntimeServer server, string guest, string name)
    {
        var wasm = new ByteArrayContent(await File.ReadAllBytesAsync(TestGuests.Wasm(guest)));
        wasm.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        return await server.Client.PostAsync($"/api/plugins?name={name}", wasm);
    }
}
