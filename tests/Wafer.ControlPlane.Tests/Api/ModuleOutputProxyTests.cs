using System.Net;
using System.Text;
using Wafer.ControlPlane.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.ControlPlane.Tests.Api;

/// <summary>
/// <c>GET /api/modules/{id}/output</c> on the orchestrator: asked of the runtime the module is placed on (a stand-in
/// runtime here, whose output endpoint answers as a runtime's does; the runtime's own endpoint is tested in
/// Wafer.Runtime.Tests' ModuleOutputTests), 404 for a module placed nowhere, 503 when its runtime is gone.
/// </summary>
public sealed class ModuleOutputProxyTests
{
    [Fact]
    public async Task Output_IsAskedOfTheModulesRuntime_404ForAnUnknownModule_503WhenItsRuntimeIsGone()
    {
        await using var host = await OrchestratorHost.StartAsync();
        await using var runtime = await FakeRuntime.StartAsync(host.BrokerUrl);
        await Eventually.TrueAsync(() => host.View.Current.Runtimes.ContainsKey(runtime.Id), "the runtime joined");
        var body = JsonSerializer.Serialize(new { name = "ticker", plugin = Convert.ToBase64String([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]), replicas = 1 });
        using var deployed = await host.Client.PostAsync("/api/deployments", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.True(deployed.IsSuccessStatusCode, await deployed.Content.ReadAsStringAsync());
        await Eventually.TrueAsync(() => host.View.Current.Modules.Values.Any(m => m.Deployment == "ticker" && m.Status == ModuleStatus.Running), "ticker runs");
        var module = host.View.Current.Modules.Values.Single(m => m.Deployment == "ticker").Id;

        using var output = await host.Client.GetAsync($"/api/modules/{module}/output");
        var text = await output.Content.ReadAsStringAsync();
        Assert.True(output.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal($"output of {module}\n", JsonDocument.Parse(text).RootElement.GetProperty("stdout").GetString());

        using var unknown = await host.Client.GetAsync($"/api/modules/{Guid.NewGuid()}/output");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        await runtime.StopHttpAsync(); // still online on the control channel, so the module stays placed there
        using var gone = await host.Client.GetAsync($"/api/modules/{module}/output");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, gone.StatusCode);
    }
}
