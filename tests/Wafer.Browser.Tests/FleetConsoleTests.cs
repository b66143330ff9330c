namespace Wafer.Browser.Tests;

/// <summary>
/// The fleet page an orchestrator serves, in Chromium against a real fleet of processes (an orchestrator with its
/// in-process broker and two runtimes): deploy an uploaded .wasm, a refused action showing the server's problem, a drain;
/// and the same page through a gateway.
/// </summary>
public sealed class FleetConsoleTests(Chromium chromium)
{
    private const string Token = "console-fleet-token";

    [Fact]
    public async Task FleetPage_DeploysAWasm_ShowsAWrongTokensProblem_AndDrainsARuntime()
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
        await Assertions.Expect(page.Locator("[data-deployment=greeter]")).ToContainTextAsync("running 2/2", new() { Timeout = 30_000 });

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
        await Eventually.TrueAsync(async () => (await RuntimeAsync(fleet, "rt-1")).GetProperty("drainRequested").GetBoolean(), "rt-1 is draining", TimeSpan.FromSeconds(30), fleet);
        await Assertions.Expect(rt1.GetByTestId("runtime-state")).ToContainTextAsync("drain", new() { Timeout = 30_000 });
        await Assertions.Expect(page.GetByTestId("events")).ToContainTextAsync("deployment greeter created", new() { Timeout = 30_000 });
        await watched.ScreenshotAsync("fleet");

        watched.AssertNoProblems();

        // a gateway serves the same console, its /api/… passed to the orchestrator
        var (_, gatewayClient) = await fleet.StartGatewayAsync();
        await using var throughGateway = await chromium.OpenAsync(gatewayClient.BaseAddress!);
        await throughGateway.Page.GotoAsync("/");
        await Assertions.Expect(throughGateway.Page.Locator("[data-deployment=greeter]")).ToContainTextAsync("greeter", new() { Timeout = 30_000 });
        await Assertions.Expect(throughGateway.Page.Locator("[data-runtime=rt-2]")).ToBeVisibleAsync();
        throughGateway.AssertNoProblems();
    }

    private static async Task<JsonElement> RuntimeAsync(FleetCluster fleet, string name) =>
        (await fleet.GetJsonAsync("/api/runtimes")).GetProperty("runtimes").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);
}
