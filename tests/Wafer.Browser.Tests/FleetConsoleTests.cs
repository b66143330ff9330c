using Wafer.Tests.Shared;

namespace Wafer.Browser.Tests;

/// <summary>
/// The fleet page an orchestrator serves, in Chromium against a real fleet of processes (an orchestrator with its
/// in-process broker and two runtimes): deploy an uploaded .wasm, scale it, a refused action showing the server's
/// problem, a drain, the same page through a gateway, and stopping the deployment.
/// </summary>
public sealed class FleetConsoleTests(Chromium chromium)
{
    private const string Token = "console-fleet-token";

    [Fact]
    public async Task FleetPage_DeploysAndScalesAWasm_ShowsAWrongTokensProblem_DrainsARuntime_AndStops()
    {
        await using var fleet = await FleetCluster.StartAsync(runtimes: 2, token: Token, inProcessBroker: true);
        await using var watched = await chromium.OpenAsync(fleet.Api.BaseAddress!);
        var page = watched.Page;
        await page.GotoAsync("/#/fleet");
        await Assertions.Expect(page.GetByTestId("server-kind")).ToContainTextAsync("orchestrator");
        await Assertions.Expect(page.GetByTestId("runtime")).ToHaveCountAsync(2, new() { Timeout = 30_000 });

        await page.GetByLabel("token").FillAsync(Token);
        var deploy = page.GetByTestId("deploy-form");
        await deploy.Locator("input[name=plugin]").SetInputFilesAsync(Repository.Guest("hello.wasm"));
        await deploy.Locator("input[name=manifest]").SetInputFilesAsync(Repository.Guest("hello.wafer.json"));
        await deploy.Locator("input[name=name]").FillAsync("greeter");
        await deploy.Locator("input[name=replicas]").FillAsync("2");
        await deploy.GetByRole(AriaRole.Button, new() { Name = "Deploy" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("action-outcome")).ToHaveTextAsync("deploy greeter: accepted", new() { Timeout = 30_000 });
        await fleet.WaitForRunningAsync("greeter", 2, TimeSpan.FromSeconds(60));
        var greeter = page.Locator("[data-deployment=greeter]");
        await Assertions.Expect(greeter).ToContainTextAsync("running 2/2", new() { Timeout = 30_000 });

        await greeter.GetByLabel("replicas of greeter").FillAsync("1");
        await greeter.GetByRole(AriaRole.Button, new() { Name = "Scale" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("action-outcome")).ToHaveTextAsync("scale greeter to 1: accepted", new() { Timeout = 30_000 });
        await Eventually.TrueAsync(async () => (await DeploymentAsync(fleet, "greeter")).GetProperty("replicas").GetInt32() == 1, "greeter wants one replica", TimeSpan.FromSeconds(30), fleet.Logs);
        await Assertions.Expect(greeter).ToContainTextAsync("running 1/1", new() { Timeout = 60_000 });

        var rt1 = page.Locator("[data-runtime=rt-1]");
        watched.Expect(401, "/api/runtimes/");
        await page.GetByLabel("token").FillAsync("not-the-token");
        await rt1.GetByRole(AriaRole.Button, new() { Name = "Drain" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("action-outcome"))
            .ToHaveTextAsync("drain rt-1: 401 Unauthorized: the bearer token is not the orchestrator's API token");
        Assert.False((await RuntimeAsync(fleet, "rt-1")).GetProperty("drainRequested").GetBoolean());

        await page.GetByLabel("token").FillAsync(Token);
        await rt1.GetByRole(AriaRole.Button, new() { Name = "Drain" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("action-outcome")).ToHaveTextAsync("drain rt-1: accepted", new() { Timeout = 30_000 });
        await Eventually.TrueAsync(async () => (await RuntimeAsync(fleet, "rt-1")).GetProperty("drainRequested").GetBoolean(), "rt-1 is draining", TimeSpan.FromSeconds(30), fleet.Logs);
        await Assertions.Expect(rt1.GetByTestId("runtime-state")).ToContainTextAsync("drain", new() { Timeout = 30_000 });
        // the orchestrator's own events, newest first
        await Assertions.Expect(page.GetByTestId("events")).ToContainTextAsync("Draining runtime rt-1", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("events")).ToContainTextAsync("Deployment greeter -> ");
        await watched.ScreenshotAsync("fleet");

        watched.AssertNoProblems();

        // a gateway serves the same console, its /api/… passed to the orchestrator
        var (_, gatewayClient) = await fleet.StartGatewayAsync();
        await using var throughGateway = await chromium.OpenAsync(gatewayClient.BaseAddress!);
        await throughGateway.Page.GotoAsync("/");
        await Assertions.Expect(throughGateway.Page.Locator("[data-deployment=greeter]")).ToContainTextAsync("greeter", new() { Timeout = 30_000 });
        await Assertions.Expect(throughGateway.Page.Locator("[data-runtime=rt-2]")).ToBeVisibleAsync();
        throughGateway.AssertNoProblems();

        // Stop asks first; accepted, the deployment leaves the fleet and the page.
        page.Dialog += (_, dialog) => _ = dialog.AcceptAsync();
        await greeter.GetByRole(AriaRole.Button, new() { Name = "Stop" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("action-outcome")).ToHaveTextAsync("stop greeter: accepted", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("deployment")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
        Assert.Equal(0, (await fleet.GetJsonAsync("/api/deployments")).GetProperty("deployments").GetArrayLength());
        watched.AssertNoProblems();
    }

    private static async Task<JsonElement> DeploymentAsync(FleetCluster fleet, string name) =>
        (await fleet.GetJsonAsync("/api/deployments")).GetProperty("deployments").EnumerateArray().Single(d => d.GetProperty("name").GetString() == name);

    private static async Task<JsonElement> RuntimeAsync(FleetCluster fleet, string name) =>
        (await fleet.GetJsonAsync("/api/runtimes")).GetProperty("runtimes").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);
}
