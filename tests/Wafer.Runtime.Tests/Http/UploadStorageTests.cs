using System.Net;
using System.Net.Http.Headers;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Http;

/// <summary>
/// An upload (<c>POST /api/plugins</c>) is answered as served only once it is durably on disk (its record in
/// <c>STORAGE/uploads</c>, its wasm in the file store <c>STORAGE/artifacts</c>): on a full disk (a small tmpfs mounted
/// as <c>STORAGE/uploads</c>) it answers 507, serves nothing new, keeps the earlier version and leaves no temporary
/// file, and no wasm nothing names, behind.
/// </summary>
public sealed class UploadStorageTests
{
    [Fact]
    public async Task Upload_OnAFullDisk_Is507_AndChangesNothing()
    {
        var storage = Path.Combine(Path.GetTempPath(), "wafer-tests", Guid.NewGuid().ToString("N")[..12]);
        var uploads = Path.Combine(storage, "uploads");
        using var disk = SmallDisk.MountOrSkip(uploads, sizeKiB: 1024);
        await using var server = await RuntimeServer.StartAsync([], storagePath: storage);

        // room enough for the first version
        using (var first = await UploadAsync(server, "hello", "site"))
        {
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        }

        var served = JsonDocument.Parse(await server.Client.GetStringAsync("/api/plugins/site")).RootElement.GetProperty("hash").GetString();
        disk.Fill(freeBytes: 0); // not even a record's block

        using var second = await UploadAsync(server, "naming", "site");
        using var fresh = await UploadAsync(server, "naming", "other");

        Assert.Equal(HttpStatusCode.InsufficientStorage, second.StatusCode);
        var problem = JsonDocument.Parse(await second.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("insufficient_storage", problem.GetProperty("cause").GetString());
        Assert.StartsWith($"plugin 'site' could not be kept under {uploads} (the disk is full): ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.EndsWith(". Nothing was changed: the earlier upload is still served", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InsufficientStorage, fresh.StatusCode);
        Assert.EndsWith(". It is not served", JsonDocument.Parse(await fresh.Content.ReadAsStringAsync()).RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(served, JsonDocument.Parse(await server.Client.GetStringAsync("/api/plugins/site")).RootElement.GetProperty("hash").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/api/plugins/other")).StatusCode);
        var hello = Hash(await File.ReadAllBytesAsync(TestGuests.Wasm("hello")));
        Assert.Equal(served, hello);
        Assert.Equal(["filler.bin", "site.upload.json"], Directory.GetFiles(uploads).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal([hello + ".wasm"], Directory.GetFiles(Path.Combine(storage, "artifacts"), "*", SearchOption.AllDirectories).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Upload_WithRoom_IsOnDiskBeforeTheAnswer_AndServedAgainAfterARestart()
    {
        var storage = Path.Combine(Path.GetTempPath(), "wafer-tests", Guid.NewGuid().ToString("N")[..12]);
        await using (var server = await RuntimeServer.StartAsync([], storagePath: storage))
        {
            using var response = await UploadAsync(server, "hello", "site");
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var hash = Hash(await File.ReadAllBytesAsync(TestGuests.Wasm("hello")));
            Assert.Equal(await File.ReadAllBytesAsync(TestGuests.Wasm("hello")), await File.ReadAllBytesAsync(Path.Combine(storage, "artifacts", hash[..2], hash + ".wasm")));
        }

        // a crash mid-write left temporary files: the next start clears them
        await File.WriteAllBytesAsync(Path.Combine(storage, "uploads", "site.upload.json.0badf00d.tmp"), []);
        var artifactFolder = Directory.GetDirectories(Path.Combine(storage, "artifacts")).Single();
        await File.WriteAllBytesAsync(Path.Combine(artifactFolder, "0badf00d.wasm.0badf00d.tmp"), []);
        await using var restarted = await RuntimeServer.StartAsync([], storagePath: storage);

        Assert.Equal(HttpStatusCode.OK, (await restarted.Client.GetAsync("/api/plugins/site")).StatusCode);
        Assert.Empty(Directory.GetFiles(storage, "*.tmp", SearchOption.AllDirectories));
    }

    private static string Hash(byte[] wasm) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(wasm));

    private static async Task<HttpResponseMessage> UploadAsync(RuntimeServer server, string guest, string name)
    {
        var wasm = new ByteArrayContent(await File.ReadAllBytesAsync(TestGuests.Wasm(guest)));
        wasm.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        return await server.Client.PostAsync($"/api/plugins?name={name}", wasm);
    }
}
