using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Amazon.S3.Model;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.S3;

namespace Wafer.ControlPlane.Tests.Api;

/// <summary>
/// The artifact store in a bucket of a real S3-compatible server (s3rver on 127.0.0.1, reached through the standard AWS
/// variables): uploads land in the bucket by hash, a second orchestrator on the same bucket serves and deploys them, and
/// an unreachable server answers 503 with nothing written anywhere.
/// </summary>
public sealed class S3ArtifactStoreTests(LocalS3 s3) : IClassFixture<LocalS3>
{
    [Fact]
    public async Task Upload_LandsInTheBucket_AndASecondOrchestratorOnItServesAndDeploysIt()
    {
        var bucket = await s3.NewBucketAsync("artifacts");
        var wasm = Module("shared");
        var hash = Convert.ToHexStringLower(SHA256.HashData(wasm));
        await using var first = await OrchestratorHost.StartAsync(o => o.Artifacts = $"s3://{bucket}/fleet");
        await using var second = await OrchestratorHost.StartAsync(o => o.Artifacts = $"s3://{bucket}/fleet");

        using var upload = await first.Client.PostAsync("/api/artifacts", Wasm(wasm));

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        Assert.Equal(hash, JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement.GetProperty("hash").GetString());
        Assert.Equal(wasm, await ObjectAsync(bucket, $"fleet/{hash[..2]}/{hash}.wasm"));

        using var download = await second.Client.GetAsync($"/api/artifacts/{hash}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(wasm, await download.Content.ReadAsByteArrayAsync());

        using var form = new MultipartFormDataContent { { new StringContent("shared"), "name" }, { new StringContent(hash), "hash" }, { new StringContent("0"), "replicas" } };
        using var deploy = await second.Client.PostAsync("/api/deployments", form);
        Assert.Equal(HttpStatusCode.Created, deploy.StatusCode);
        Assert.Equal(hash, JsonDocument.Parse(await deploy.Content.ReadAsStringAsync()).RootElement.GetProperty("hash").GetString());
    }

    [Fact]
    public async Task UploadOfAStoredHash_LeavesTheObjectAsItWas()
    {
        var bucket = await s3.NewBucketAsync("artifacts");
        var wasm = Module("again");
        var hash = Convert.ToHexStringLower(SHA256.HashData(wasm));
        var key = $"fleet/{hash[..2]}/{hash}.wasm";
        using (var body = new MemoryStream(wasm))
        {
            // Put by someone else first, with a mark a second PUT would wipe.
            var put = new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, UseChunkEncoding = false };
            put.Metadata.Add("origin", "earlier");
            await s3.Server.Client.PutObjectAsync(put);
        }

        await using var host = await OrchestratorHost.StartAsync(o => o.Artifacts = $"s3://{bucket}/fleet");
        using var upload = await host.Client.PostAsync("/api/artifacts", Wasm(wasm));

        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var stored = await s3.Server.Client.GetObjectMetadataAsync(bucket, key);
        Assert.Equal("earlier", stored.Metadata["origin"]);
    }

    [Fact]
    public async Task S3Unreachable_UploadAndDeploy_Are503_AndNothingIsWritten()
    {
        var bucket = await s3.NewBucketAsync("artifacts");
        var wasm = Module("outage");
        var hash = Convert.ToHexStringLower(SHA256.HashData(wasm));
        await using var host = await OrchestratorHost.StartAsync(o => o.Artifacts = $"s3://{bucket}/fleet");
        await s3.Server.StopAsync();
        try
        {
            using var upload = await host.Client.PostAsync("/api/artifacts", Wasm(wasm));
            using var form = new MultipartFormDataContent { { new ByteArrayContent(wasm), "plugin", "outage.wasm" }, { new StringContent("outage"), "name" } };
            using var deploy = await host.Client.PostAsync("/api/deployments", form);
            using var download = await host.Client.GetAsync($"/api/artifacts/{hash}");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, upload.StatusCode);
            var problem = JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal("unavailable", problem.GetProperty("cause").GetString());
            var detail = problem.GetProperty("detail").GetString();
            Assert.StartsWith($"the artifact store s3://{bucket}/fleet/ is unreachable (look up {hash}): ", detail, StringComparison.Ordinal);
            Assert.EndsWith(". Nothing was stored", detail, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, deploy.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, download.StatusCode);
        }
        finally
        {
            await s3.Server.StartAsync();
        }

        var listing = await s3.Server.Client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket });
        Assert.Empty(listing.S3Objects ?? []);
        Assert.Empty(Directory.GetFiles(Path.Combine(host.Options.StoragePath, "artifacts"), "*", SearchOption.AllDirectories));
        Assert.Empty(JsonDocument.Parse(await host.Client.GetStringAsync("/api/deployments")).RootElement.GetProperty("deployments").EnumerateArray());
        using var after = await host.Client.GetAsync($"/api/artifacts/{hash}");
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    private async Task<byte[]> ObjectAsync(string bucket, string key)
    {
        using var response = await s3.Server.Client.GetObjectAsync(bucket, key);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    /// <summary>A valid module header and one custom section named <paramref name="mark"/>, so each test has its own hash.</summary>
    private static byte[] Module(string mark)
    {
        var name = System.Text.Encoding.UTF8.GetBytes(mark + Guid.NewGuid().ToString("N"));
        return [0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00, 0x00, (byte)(name.Length + 1), (byte)name.Length, .. name];
    }

    private static ByteArrayContent Wasm(byte[] wasm)
    {
        var content = new ByteArrayContent(wasm);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        return content;
    }
}
