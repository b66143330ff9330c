using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>
/// Every client verb of the <c>wafer</c> CLI end to end against an orchestrator and three runtimes, all started with
/// an API token: control operations without it or with a wrong one are refused (401, exit code 5) on the orchestrator
/// and on a runtime, reads and function routes stay public, and runtimes fetch artifacts with the orchestrator's token.
/// </summary>
[Trait("Category", "Fleet")]
public sealed class CliVerbTests
{
    private const string Token = "fleet-cli-token";
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    private static Task<(int ExitCode, string Output)> Wafer(params string[] arguments) => WaferProcess.RunAsync(Within, arguments);

    /// <summary>The one JSON document of a <c>--json</c> run (stderr is merged into the output, and nothing else is printed).</summary>
    private static JsonElement Json(string output)
    {
        var start = output.IndexOfAny(['{', '[']);
        Assert.True(start >= 0, "no JSON in: " + output);
        return JsonDocument.Parse(output[start..]).RootElement.Clone();
    }

    private static string Flatten(string output) => Regex.Replace(output, @"\s+", " ");

    [Fact]
    public async Task EveryVerb_EndToEnd_WithTokenChecks()
    {
        await using var cluster = await FleetCluster.StartAsync(runtimes: 3, token: Token);
        var server = cluster.Api.BaseAddress!.ToString().TrimEnd('/');
        using var anonymous = new HttpClient { BaseAddress = cluster.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var wrong = new HttpClient { BaseAddress = cluster.Api.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");

        // What answers: an orchestrator whose control operations need a token.
        var info = JsonDocument.Parse(await anonymous.GetStringAsync("/api/info")).RootElement;
        Assert.Equal("orchestrator", info.GetProperty("kind").GetString());
        Assert.True(info.GetProperty("controlNeedsToken").GetBoolean());

        // runtimes (a read: no token needed, but their addresses are shown only with it)
        var (code, output) = await Wafer("runtimes", "--server", server, "--json");
        Assert.True(code == 0, output);
        var runtimes = Json(output).GetProperty("runtimes").EnumerateArray().ToList();
        Assert.Equal(["rt-1", "rt-2", "rt-3"], runtimes.Select(r => r.GetProperty("name").GetString()));
        Assert.All(runtimes, r => Assert.Equal("online", r.GetProperty("state").GetString()));
        Assert.All(runtimes, r => Assert.Equal(JsonValueKind.Null, r.GetProperty("url").ValueKind));
        (code, output) = await Wafer("runtimes", "--server", server);
        Assert.Equal(0, code);
        Assert.Matches(@"│ rt-2\s+│ [0-9a-f]{8}\s+│ online\s+│\s+│", output);
        (code, output) = await Wafer("runtimes", "--server", server, "--token", Token);
        Assert.Equal(0, code);
        Assert.Matches(@"│ rt-2\s+│ [0-9a-f]{8}\s+│ online\s+│ http://127\.0\.0\.1:\d+", output);

        // deploy: refused without the token and with a wrong one; nothing is created.
        var folder = Path.Combine(cluster.Folder, "project");
        Directory.CreateDirectory(folder);
        File.Copy(Repository.Guest("hello.wasm"), Path.Combine(folder, "hello.wasm"));
        File.Copy(Repository.Guest("hello.wafer.json"), Path.Combine(folder, "hello.wafer.json"));
        var deployFile = Path.Combine(folder, "deploy.json");
        await File.WriteAllTextAsync(deployFile, """
            {"plugins": [
              {"path": "hello.wasm", "name": "web", "replicas": 2},
              {"path": "hello.wasm", "name": "solo", "config": {"mode": "one"}}
            ]}
            """);
        (code, output) = await Wafer("deploy", deployFile, "--server", server);
        Assert.True(code == 5, output);
        Assert.Contains("refused the request (401): this operation needs 'Authorization: Bearer TOKEN' with the orchestrator's API token", Flatten(output));
        (code, output) = await Wafer("deploy", deployFile, "--server", server, "--token", "not-the-token");
        Assert.True(code == 5, output);
        Assert.Contains("the bearer token is not the orchestrator's API token", Flatten(output));
        Assert.Equal(0, (await cluster.GetJsonAsync("/api/deployments")).GetProperty("count").GetInt32());

        // deploy with the token: the runtimes fetch the artifacts with the same token, so the replicas run.
        (code, output) = await Wafer("deploy", deployFile, "--server", server, "--token", Token, "--allow-shadowing");
        Assert.True(code == 0, output + cluster.Logs());
        Assert.Contains("web is running (2 replica(s)", output);
        Assert.Contains("solo is running (1 replica(s)", output);

        // Control through the raw API: 401 without a token and with a wrong one; reads stay public.
        var hash = (await cluster.GetJsonAsync("/api/deployments/web")).GetProperty("hash").GetString()!;
        foreach (var client in (HttpClient[])[anonymous, wrong])
        {
            using var deploy = await client.PostAsync("/api/deployments", new StringContent("""{"name":"x","hash":"00"}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Unauthorized, deploy.StatusCode);
            using var stop = await client.DeleteAsync("/api/deployments/web");
            Assert.Equal(HttpStatusCode.Unauthorized, stop.StatusCode);
            using var drain = await client.PostAsync("/api/runtimes/rt-1/drain", null);
            Assert.Equal(HttpStatusCode.Unauthorized, drain.StatusCode);
            using var artifact = await client.GetAsync($"/api/artifacts/{hash}");
            Assert.Equal(HttpStatusCode.Unauthorized, artifact.StatusCode);
            using var read = await client.GetAsync("/api/deployments/web");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        // list and details
        (code, output) = await Wafer("list", "--server", server, "--json");
        Assert.Equal(0, code);
        var listed = Json(output).GetProperty("deployments").EnumerateArray().ToList();
        Assert.Equal(["solo", "web"], listed.Select(d => d.GetProperty("name").GetString()));
        Assert.All(listed, d => Assert.Equal("running", d.GetProperty("status").GetProperty("state").GetString()));
        (code, output) = await Wafer("list", "--server", server);
        Assert.Equal(0, code);
        Assert.Matches(@"│ web\s+│ running\s+│ 2/2\s+│ " + hash[..12], output);
        (code, output) = await Wafer("details", "web", "--server", server, "--json");
        Assert.Equal(0, code);
        Assert.All(Json(output).GetProperty("modules").EnumerateArray(), m => Assert.Equal(JsonValueKind.Null, m.GetProperty("runtimeUrl").ValueKind));
        (code, output) = await Wafer("details", "web", "--server", server, "--json", "--token", Token);
        Assert.Equal(0, code);
        var web = Json(output);
        Assert.Equal(2, web.GetProperty("status").GetProperty("running").GetInt32());
        var webRuntimes = web.GetProperty("modules").EnumerateArray().Select(m => (Name: m.GetProperty("runtimeName").GetString()!, Url: m.GetProperty("runtimeUrl").GetString()!)).ToList();
        Assert.Equal(2, webRuntimes.Count);
        (code, output) = await Wafer("details", "solo", "--server", server);
        Assert.Equal(0, code);
        Assert.Contains("mode=one", output);
        (code, output) = await Wafer("details", "nothing", "--server", server);
        Assert.Equal(4, code);
        Assert.Contains("no deployment named 'nothing'", output);

        // invoke on a runtime hosting web: function routes are public.
        var runtimeUrl = webRuntimes[0].Url;
        (code, output) = await Wafer("invoke", "web/greet", "--args", """{"name":"Fleet"}""", "--server", runtimeUrl);
        Assert.True(code == 0, output);
        Assert.Equal("Hello, Fleet!", output.Trim());
        using (var call = await anonymous.PostAsync($"{runtimeUrl}/functions/web/hello", new StringContent("{}", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
        }

        // A runtime's control endpoints take only the orchestrator's token.
        foreach (var client in (HttpClient[])[anonymous, wrong])
        {
            using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(Repository.Guest("hello.wasm"))), "plugin", "hello.wasm" } };
            using var upload = await client.PostAsync($"{runtimeUrl}/api/plugins", form);
            Assert.Equal(HttpStatusCode.Unauthorized, upload.StatusCode);
            using var remove = await client.DeleteAsync($"{runtimeUrl}/api/plugins/web");
            Assert.Equal(HttpStatusCode.Unauthorized, remove.StatusCode);
        }

        (code, output) = await Wafer("stop", "web", "--server", runtimeUrl);
        Assert.True(code == 5, output);
        (code, output) = await Wafer("stop", "web", "--server", runtimeUrl, "--token", Token);
        Assert.True(code == 1, output);
        Assert.Contains("plugin 'web' is served from orchestrator:", output);
        (code, output) = await Wafer("deploy", Repository.Guest("hello.wasm"), "--name", "local", "--server", runtimeUrl, "--token", Token);
        Assert.True(code == 0, output);
        (code, output) = await Wafer("stop", "local", "--server", runtimeUrl, "--token", Token);
        Assert.True(code == 0, output);

        // logs, gathered from the runtimes hosting web
        (code, output) = await Wafer("invoke", "web/logAll", "--args", """{"message":"first line"}""", "--server", runtimeUrl);
        Assert.True(code == 0, output);
        // Log lines are stored off the call path: ask until they are there.
        await Eventually.TrueAsync(async () => (output = (await Wafer("logs", "web", "--server", server)).Output).Contains("first line", StringComparison.Ordinal),
            "logs shows the first line", Bound, cluster.Logs);
        Assert.Contains($"web.logAll [{webRuntimes[0].Name}]: info: first line", output);
        (code, output) = await Wafer("logs", "web", "--server", server, "--json", "--function", "logAll");
        Assert.Equal(0, code);
        Assert.Equal(4, Json(output).GetProperty("lines").EnumerateArray().Count(l => l.GetProperty("message").GetString()!.EndsWith("first line", StringComparison.Ordinal)));

        var since = DateTimeOffset.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        using (var follow = WaferProcess.Start("logs --follow", "logs", "web", "--follow", "--since", since, "--server", server))
        {
            // --since is before the call, so the line is followed whenever the process makes its first request
            (code, output) = await Wafer("invoke", "web/logAll", "--args", """{"message":"followed line"}""", "--server", webRuntimes[1].Url);
            Assert.True(code == 0, output);
            await Eventually.TrueAsync(() => Task.FromResult(follow.Output.Contains($"web.logAll [{webRuntimes[1].Name}]: error: followed line", StringComparison.Ordinal)),
                "logs --follow prints the new line", Bound, cluster.Logs);
            Assert.False(follow.HasExited, "logs --follow keeps running");
            Assert.DoesNotContain("first line", follow.Output);
        }

        // A failed call is in the logs too, and --follow through the orchestrator prints it with its runtime.
        (code, output) = await Wafer("deploy", Repository.Guest("abort.wasm"), "--name", "boom", "--server", server, "--token", Token);
        Assert.True(code == 0, output + cluster.Logs());
        (code, output) = await Wafer("details", "boom", "--server", server, "--json", "--token", Token); // addresses only with the token
        var boomModule = Json(output).GetProperty("modules")[0];
        var (boomName, boomUrl) = (boomModule.GetProperty("runtimeName").GetString()!, boomModule.GetProperty("runtimeUrl").GetString()!);
        using (var follow = WaferProcess.Start("logs boom --follow", "logs", "boom", "--follow", "--since", since, "--server", server))
        {
            (code, output) = await Wafer("invoke", "boom/fail", "--server", boomUrl);
            Assert.True(code == 1, output);
            await Eventually.TrueAsync(() => Task.FromResult(follow.Output.Contains($"boom.fail [{boomName}]: call failed: abort: boom at plugin.c:12", StringComparison.Ordinal)),
                "logs --follow through the orchestrator prints the failed call", Bound, cluster.Logs);
        }

        (code, output) = await Wafer("stop", "boom", "--server", server, "--token", Token);
        Assert.True(code == 0, output);

        // stop
        (code, output) = await Wafer("stop", "solo", "--server", server);
        Assert.True(code == 5, output);
        (code, output) = await Wafer("stop", "solo", "--server", server, "--token", Token);
        Assert.True(code == 0, output);
        Assert.Contains("stopped solo", output);
        (code, output) = await Wafer("stop", "solo", "--server", server, "--token", Token);
        Assert.Equal(4, code);
        (code, output) = await Wafer("list", "--server", server, "--json");
        Assert.Equal(["web"], Json(output).GetProperty("deployments").EnumerateArray().Select(d => d.GetProperty("name").GetString()));

        // drain
        var drained = webRuntimes[0].Name;
        (code, output) = await Wafer("drain", drained, "--server", server);
        Assert.True(code == 5, output);
        (code, output) = await Wafer("drain", "rt-9", "--server", server, "--token", Token);
        Assert.Equal(4, code);
        Assert.Contains("no runtime with id or name 'rt-9'", output);
        (code, output) = await Wafer("drain", drained, "--server", server, "--token", Token);
        Assert.True(code == 0, output);
        Assert.Contains($"draining {drained} (", output);
        Assert.True(await cluster.Runtimes[drained].WaitForExitAsync(Bound), $"{drained} did not exit after the drain\n" + cluster.Logs());
        await cluster.WaitForRunningAsync("web", 2, Bound, running => running.All(m => m.GetProperty("runtimeName").GetString() != drained));
    }
}
