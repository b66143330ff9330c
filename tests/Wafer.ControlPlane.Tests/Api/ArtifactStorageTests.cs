using System.Net;
using System.Net.Http.Headers;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Api;

/// <summary>
/// The artifact store on a full disk (a small tmpfs mounted as <c>STORAGE/artifacts</c>): an upload or a deployment
/// that carries the wasm answers 507, stores nothing and leaves no temporary file behind.
/// </summary>
public sealed class ArtifactStorageTests
{
    [Fact]
    public async Task Upload_OnAFullDisk_Is507_AndStoresNothing()
    {
        await using var host = await OrchestratorHost.StartAsync();
        var artifacts = Path.Combine(host.Options.StoragePath, "artifacts");
        using var disk = SmallDisk.MountOrSkip(artifacts, sizeKiB: 512);
        disk.Fill(freeBytes: 8192);
        var wasm = Module(64 * 1024);

        using var upload = await host.Client.PostAsync("/api/artifacts", Wasm(wasm));
        using var form = new MultipartFormDataContent { { new ByteArrayContent(wasm), "plugin", "big.wasm" }, { new StringContent("big"), "name" } };
        using var deploy = await host.Client.PostAsync("/api/deployments", form);

        Assert.Equal(HttpStatusCode.InsufficientStorage, upload.StatusCode);
        var problem = JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("insufficient_storage", problem.GetProperty("cause").GetString());
        Assert.StartsWith($"the plugin could not be stored under {artifacts} (the disk is full): ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.InsufficientStorage, deploy.StatusCode);
        Assert.Equal(["filler.bin"], Directory.GetFiles(artifacts, "*", SearchOption.AllDirectories).Select(Path.GetFileName));
        Assert.Empty(JsonDocument.Parse(await host.Client.GetStringAsync("/api/deployments")).RootElement.GetProperty("deployments").EnumerateArray());
    }

    /// <summary>A valid module header followed by one custom section that makes it <paramref name="size"/> bytes long.</summary>
    private static byte[] Module(int size)
    {
        var payload = size - 8 - 1 - 3 - 2;
        var module = new List<byte> { 0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x00 };
        var length = payload + 2;
        module.AddRange([(byte)(length & 0x7F | 0x80), (byte)((length >> 7) & 0x7F | 0x80), (byte)(length >> 14)]);
        module.AddRange([0x01, (byte)'x']);
        module.AddRange(new byte[payload]);
        return [.. module];
    }

    private static ByteArrayContent Wasm(byte[] wasm)
    {
        var content = new ByteArrayContent(wasm);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        return content;
    }
}
