using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Wafer.Tests.S3;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>
/// Two control planes sharing one artifact store in S3 (a real s3rver on 127.0.0.1, through the standard AWS
/// variables): a plugin uploaded to <c>wafer orchestrator</c> is deployed by its hash through <c>wafer serve</c>, whose
/// own orchestrator has never seen it, and runs on that process's runtime.
/// </summary>
public sealed partial class ServeTests
{
    [Fact]
    public async Task SharedS3Artifacts_UploadToOneOrchestrator_DeployByHashThroughAnother_RunsOnItsRuntime()
    {
        await using var s3 = await S3Server.StartNewAsync();
        await s3.CreateBucketAsync("fleet-artifacts");
        var port = LoopbackPorts.Free();
        using var orchestrator = WaferProcess.Start("orchestrator", s3.Environment, [
            "orchestrator", "--artifacts", "s3://fleet-artifacts/shared", "--port", port.ToString(CultureInfo.InvariantCulture),
            "--brokerPort", LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture), "--storagePath", Path.Combine(_folder, "orchestrator"),
        ]);
        using var first = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        await Until(orchestrator, () => IsReadyAsync(first), "the orchestrator is ready");

        using var wasm = new ByteArrayContent(await File.ReadAllBytesAsync(Repository.Guest("hello.wasm")));
        wasm.Headers.ContentType = new MediaTypeHeaderValue("application/wasm");
        using var upload = await first.PostAsync("/api/artifacts", wasm);
        Assert.Equal(HttpStatusCode.Created, upload.StatusCode);
        var hash = JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement.GetProperty("hash").GetString()!;

        using var serve = WaferProcess.Start("serve", s3.Environment, [
            "serve", "--plugins", Path.Combine(_folder, "plugins"), "--storagePath", Path.Combine(_folder, "storage"), "--port", "0",
            "--orchestratorPort", "0", "--brokerPort", "0", "--artifacts", "s3://fleet-artifacts/shared",
        ]);
        var (runtimeUrl, orchestratorUrl) = await StartupLineAsync(serve);
        using var second = new HttpClient { BaseAddress = new Uri(orchestratorUrl), Timeout = TimeSpan.FromSeconds(30) };
        using var form = new MultipartFormDataContent { { new StringContent("greeter"), "name" }, { new StringContent(hash), "hash" }, { new StringContent("1"), "replicas" } };
        using var deploy = await second.PostAsync("/api/deployments", form);
        Assert.True(deploy.StatusCode == HttpStatusCode.Created, $"deploy answered {(int)deploy.StatusCode}: {await deploy.Content.ReadAsStringAsync()}");

        string? result = null;
        await Until(serve, async () => (result = await FleetCluster.CallHelloAsync(runtimeUrl, "greeter")) is not null, "the deployment answers on the runtime");
        Assert.Equal("Hello, world!", result);
    }

    private static async Task<bool> IsReadyAsync(HttpClient orchestrator)
    {
        try
        {
            using var response = await orchestrator.GetAsync("/readyz");
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
    }
}
