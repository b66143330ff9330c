using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>
/// <c>wafer serve</c> as one process: a runtime serving a plugins folder, an orchestrator and its in-process broker,
/// on ports it picks (port 0), so these tests need no external broker and run beside anything else.
/// </summary>
[Trait("Category", "Fleet")]
public sealed partial class ServeTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "wafer-serve-tests", Guid.NewGuid().ToString("N")[..10]);

    public ServeTests()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "plugins"));
        File.Copy(Repository.Guest("hello.wasm"), Path.Combine(_folder, "plugins", "hello.wasm"));
        File.Copy(Repository.Guest("hello.wafer.json"), Path.Combine(_folder, "plugins", "hello.wafer.json"));
    }

    [Fact]
    public async Task Serve_FolderPluginAndDeployment_BothCallableOnItsRuntime_StopsOnCtrlC()
    {
        using var serve = StartServe("--orchestratorPort", "0", "--brokerPort", "0");
        var (runtimeUrl, orchestratorUrl) = await StartupLineAsync(serve);

        Assert.Equal("Hello, world!", await FleetCluster.CallHelloAsync(runtimeUrl, "hello"));

        using var api = new HttpClient { BaseAddress = new Uri(orchestratorUrl), Timeout = TimeSpan.FromSeconds(30) };
        await FleetCluster.DeployHelloAsync(api, "greeter", replicas: 1);
        string? result = null;
        await Until(serve, async () => (result = await FleetCluster.CallHelloAsync(runtimeUrl, "greeter")) is not null, "the deployment answers on the runtime");
        Assert.Equal("Hello, world!", result);
        // the runtime serves the module a moment before the orchestrator has its module_running
        string? state = null;
        await Until(serve, async () =>
        {
            using var deployment = JsonDocument.Parse(await api.GetStringAsync("/api/deployments/greeter"));
            return (state = deployment.RootElement.GetProperty("status").GetProperty("state").GetString()) == "running";
        }, "the orchestrator sees the deployment running");
        Assert.Equal("running", state);
        using var runtime = new HttpClient { BaseAddress = new Uri(runtimeUrl), Timeout = TimeSpan.FromSeconds(30) };
        await Wafer.Tests.Shared.Promtool.AssertValidAsync(await runtime.GetStringAsync("/metrics"), "wafer serve's runtime");
        await Wafer.Tests.Shared.Promtool.AssertValidAsync(await api.GetStringAsync("/metrics"), "wafer serve's orchestrator");

        serve.Interrupt();
        Assert.True(await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)), "serve did not stop on SIGINT\n" + serve.Output);
        Assert.True(serve.ExitCode == 0, serve.Output);
        Assert.Contains("Left the fleet", serve.Output);
        Assert.DoesNotContain("fail:", serve.Output);
    }

    [Fact]
    public async Task Serve_WithTraces_EitherPortShowsTheWholeTraceOfACallThroughItsGateway()
    {
        using var serve = StartServe("--orchestratorPort", "0", "--brokerPort", "0", "--traces");
        var (runtimeUrl, orchestratorUrl) = await StartupLineAsync(serve);
        using var api = new HttpClient { BaseAddress = new Uri(orchestratorUrl), Timeout = TimeSpan.FromSeconds(30) };
        await FleetCluster.DeployHelloAsync(api, "greeter", replicas: 1);
        await Until(serve, async () => await FleetCluster.CallHelloAsync(orchestratorUrl, "greeter") is not null, "the deployment answers through the orchestrator's gateway");

        using var call = await api.PostAsync("/functions/greeter/hello", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        var callId = call.Headers.GetValues("X-Wafer-Call-Id").Single();

        using var runtime = new HttpClient { BaseAddress = new Uri(runtimeUrl), Timeout = TimeSpan.FromSeconds(30) };
        foreach (var port in new[] { api, runtime })
        {
            var trace = JsonDocument.Parse(await port.GetStringAsync($"/api/traces?callId={callId}")).RootElement;
            var names = trace.GetProperty("spans").EnumerateArray().Select(s => (s.GetProperty("name").GetString(), s.GetProperty("service").GetString())).ToList();
            Assert.Contains(("wafer.gateway.call", "wafer-orchestrator"), names);
            Assert.Contains(("wafer.call", "wafer-runtime"), names);
        }
    }

    [Fact]
    [Trait("Timing", "Sensitive")]
    public async Task Serve_CtrlCDuringALongCall_TheCallIsAnswered_ServeExitsCleanly()
    {
        File.Copy(Repository.Guest("loop.wasm"), Path.Combine(_folder, "plugins", "loop.wasm"));
        File.WriteAllText(Path.Combine(_folder, "plugins", "loop.wafer.json"), """{ "name": "loop", "limits": { "timeoutMs": 2500 } }""");
        using var serve = StartServe("--orchestratorPort", "0", "--brokerPort", "0");
        var (runtimeUrl, _) = await StartupLineAsync(serve);
        await serve.WaitForLineAsync("Connected to", Bound); // the runtime joined its orchestrator

        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var call = client.PostAsync(runtimeUrl + "/functions/loop/spin", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        await Task.Delay(500); // the call runs: it ends by its 2.5 s timeout (later on a busy machine)
        serve.Interrupt();

        using var answer = await call; // a graceful stop answers the calls in flight
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(await serve.WaitForExitAsync(TimeSpan.FromSeconds(30)), "serve did not stop on SIGINT\n" + serve.Output);
        TestContext.Current.TestOutputHelper?.WriteLine($"call answered {(int)answer.StatusCode} after {clock.ElapsedMilliseconds} ms; serve exited {serve.ExitCode}");
        Assert.Contains("\"cause\":\"timeout\"", body, StringComparison.Ordinal);
        Assert.True(serve.ExitCode == 0, $"exit code {serve.ExitCode}\n{serve.Output}");
        Assert.Contains("Left the fleet", serve.Output);
    }

    [Fact]
    public async Task Serve_WithToken_ControlNeedsIt_SignedCommandsReachItsRuntime()
    {
        using var serve = StartServe("--orchestratorPort", "0", "--brokerPort", "0", "--token", "serve-s3cret");
        var (runtimeUrl, orchestratorUrl) = await StartupLineAsync(serve);
        using var anonymous = new HttpClient { BaseAddress = new Uri(orchestratorUrl), Timeout = TimeSpan.FromSeconds(30) };
        using var upload = new ByteArrayContent(await File.ReadAllBytesAsync(Repository.Guest("hello.wasm")));
        upload.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/wasm");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/deployments", System.Net.Http.Json.JsonContent.Create(new { name = "x" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await new HttpClient().PostAsync(runtimeUrl + "/api/plugins?name=x", upload)).StatusCode);

        using var api = new HttpClient { BaseAddress = new Uri(orchestratorUrl), Timeout = TimeSpan.FromSeconds(30) };
        api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "serve-s3cret");
        await FleetCluster.DeployHelloAsync(api, "greeter", replicas: 1);
        string? result = null;
        await Until(serve, async () => (result = await FleetCluster.CallHelloAsync(runtimeUrl, "greeter")) is not null, "the deployment answers on the runtime");
        Assert.Equal("Hello, world!", result);
        Assert.DoesNotContain("refused create_module", serve.Output);
    }

    [Fact]
    public async Task Serve_DeployedCommandPlugin_GetsItsOwnDataFolder_AHostFolderIsRefused()
    {
        using var serve = StartServe("--orchestratorPort", "0", "--brokerPort", "0");
        var (runtimeUrl, orchestratorUrl) = await StartupLineAsync(serve);
        using var api = new HttpClient { BaseAddress = new Uri(orchestratorUrl), Timeout = TimeSpan.FromSeconds(30) };
        using var runtime = new HttpClient { BaseAddress = new Uri(runtimeUrl), Timeout = TimeSpan.FromSeconds(30) };
        var job = Convert.ToBase64String(await File.ReadAllBytesAsync(Repository.Guest("c-job.wasm")));

        async Task DeployAsync(string name, string files)
        {
            var body = $$"""{"name":"{{name}}","plugin":"{{job}}","manifest":{"type":"command","files":{{files}}},"replicas":1}""";
            using var response = await api.PostAsync("/api/deployments", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        async Task<JsonElement> StatusAsync(string name) =>
            JsonDocument.Parse(await api.GetStringAsync($"/api/deployments/{name}")).RootElement.GetProperty("status").Clone();

        await DeployAsync("notes", """{"path":"state"}""");
        await DeployAsync("grab", """{"path":"/"}""");

        await Until(serve, async () => (await StatusAsync("notes")).GetProperty("state").GetString() == "running", "notes runs with its data folder");
        using (var submitted = await runtime.PostAsync("/jobs", new StringContent("""{"plugin":"notes","args":["write","/data/a.txt","fleet data"]}""", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        }

        var written = Path.Combine(_folder, "storage", "data", "notes", "state", "a.txt");
        await Until(serve, () => Task.FromResult(File.Exists(written) && File.ReadAllText(written) == "fleet data"), "the job wrote into the data folder");

        string? reason = null;
        await Until(serve, async () => (reason = (await StatusAsync("grab")).GetProperty("reason").GetString()) is { } r && r.Contains("files.path", StringComparison.Ordinal),
            "grab fails saying why");
        Assert.Contains("files.path: folder '/' is outside the plugin's data folder", reason);
        Assert.Contains("--allowFolders", reason);
        using var grab = await runtime.PostAsync("/jobs", new StringContent("""{"plugin":"grab"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotFound, grab.StatusCode);
    }

    [Fact]
    public async Task Serve_Standalone_ServesTheFolderWithoutAnOrchestrator()
    {
        using var serve = StartServe("--standalone");
        await Until(serve, () => Task.FromResult(serve.Output.Contains("Wafer is serving", StringComparison.Ordinal)), "serve prints its startup line");
        var runtimeUrl = ServingLine().Match(serve.Output).Groups["runtime"].Value;
        Assert.Equal("Hello, world!", await FleetCluster.CallHelloAsync(runtimeUrl, "hello"));
        Assert.DoesNotContain("orchestrator", serve.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("--orchestratorPort")]
    [InlineData("--brokerPort")]
    [InlineData("--port")]
    public async Task Serve_PortInUse_FailsNamingTheFlag(string flag)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] ports = ["--port", "0", "--orchestratorPort", "0", "--brokerPort", "0"];
        var arguments = ports.Select((value, i) => i > 0 && ports[i - 1] == flag ? port : value);

        var (code, output) = await WaferProcess.RunAsync(Bound,
            ["serve", "--plugins", Path.Combine(_folder, "plugins"), "--storagePath", Path.Combine(_folder, "storage"), .. arguments]);

        Assert.True(code == 1, $"exit code {code}\n{output}");
        Assert.Contains($"cannot listen on", output);
        Assert.Contains(flag, output);
        Assert.Contains(port, output);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private TestProcess StartServe(params string[] arguments) =>
        WaferProcess.Start("serve", ["serve", "--plugins", Path.Combine(_folder, "plugins"), "--storagePath", Path.Combine(_folder, "storage"), "--port", "0", .. arguments]);

    private static async Task<(string Runtime, string Orchestrator)> StartupLineAsync(TestProcess serve)
    {
        var line = await serve.WaitForLineAsync(l => ServingLine().IsMatch(l) && l.Contains("; orchestrator ", StringComparison.Ordinal), "its startup line", Bound);
        var match = ServingLine().Match(line);
        Assert.Matches(@"broker mqtt://127\.0\.0\.1:\d+ \(in-process\)", serve.Output);
        return (match.Groups["runtime"].Value, match.Groups["orchestrator"].Value);
    }

    private static async Task Until(TestProcess serve, Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (!await condition())
        {
            if (serve.HasExited)
            {
                Assert.Fail($"serve exited ({serve.ExitCode}) before {what}\n{serve.Output}");
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}\n{serve.Output}");
            await Task.Delay(100);
        }
    }

    [GeneratedRegex(@"Wafer is serving .*? on (?<runtime>http://127\.0\.0\.1:\d+) \(.*?\)(; orchestrator (?<orchestrator>http://127\.0\.0\.1:\d+))?")]
    private static partial Regex ServingLine();
}
