using System.Text.Json;
using System.Text.RegularExpressions;

namespace Wafer.Cli.Tests;

/// <summary>
/// The client verbs (<c>deploy</c>, <c>list</c>, <c>details</c>, <c>invoke</c>, <c>logs</c>, <c>stop</c>, <c>runtimes</c>,
/// <c>drain</c>) as real processes: argument errors, and every verb against a live runtime process with an API token.
/// </summary>
public sealed class ClientVerbTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private static Task<(int ExitCode, string Stdout, string Stderr)> Wafer(params string[] arguments) =>
        CliProcess.RunSeparatelyAsync(null, Path.GetTempPath(), Within, arguments);

    private static Task<(int ExitCode, string Stdout, string Stderr)> Wafer(Dictionary<string, string> environment, params string[] arguments) =>
        CliProcess.RunSeparatelyAsync(environment, Path.GetTempPath(), Within, arguments);

    private static string Flatten(string output) => Regex.Replace(output, @"\s+", " ");

    private static JsonElement Json(string stdout) => JsonDocument.Parse(stdout).RootElement.Clone();

    [Theory]
    [InlineData("invoke|hello|--args|[1]", "--args must be a JSON object of named arguments, got a array")]
    [InlineData("invoke|hello|--args|{oops", "--args is not valid JSON")]
    [InlineData("list|--server|ftp://example", "--server: 'ftp://example' is not an http(s) URL")]
    [InlineData("logs|web|--limit|0", "--limit must be between 1 and 1000, got 0")]
    [InlineData("logs|web|--since|yesterday", "--since: 'yesterday' is neither a duration")]
    [InlineData("deploy|/nowhere/plugin.wasm", "/nowhere/plugin.wasm does not exist")]
    [InlineData("deploy|x.wasm|--replicas|0", "--replicas must be at least 1, got 0")]
    [InlineData("deploy|x.wasm|--labels|zone", "--labels: 'zone' is not key=value")]
    [InlineData("deploy|x.wasm|--name|Bad Name", "--name: 'Bad Name' is not a valid name")]
    [InlineData("deploy|x.wasm|--timeout|soon", "--timeout: 'soon' is not a duration")]
    public async Task ArgumentError_IsAUsageErrorSayingWhich(string arguments, string message)
    {
        // Port 1 never answers: a usage error must be found before any server is asked.
        var split = arguments.Split('|');
        var (code, stdout, stderr) = await Wafer(split.Contains("--server") ? split : [.. split, "--server", "http://127.0.0.1:1"]);

        Assert.True(code == 2, $"exit {code}: {stdout}{stderr}");
        Assert.Contains(message, Flatten(stderr), StringComparison.Ordinal);
        Assert.Equal("", stdout);
    }

    [Theory]
    [InlineData("""{"plugins": []}""", "$.plugins: must be a non-empty array of plugins")]
    [InlineData("""{"plugin": []}""", "$.plugin: unknown key (expected \"plugins\")")]
    [InlineData("""{"plugins": [{"name": "a"}]}""", "$.plugins[0].path: required")]
    [InlineData("""{"plugins": [{"path": "hello.wasm", "replicas": 0}]}""", "$.plugins[0].replicas: must be a whole number of at least 1, got 0")]
    [InlineData("""{"plugins": [{"path": "hello.wasm", "labels": {"zone": 1}}]}""", "$.plugins[0].labels.zone: must be a string, got 1")]
    [InlineData("""{"plugins": [{"path": "hello.wasm"}, {"path": "hello.wasm", "nmae": "b"}]}""", "$.plugins[1].nmae: unknown key")]
    [InlineData("""{"plugins": [{"path": "hello.wasm", "name": "a"}, {"path": "hello.wasm", "name": "a"}]}""", "$.plugins: the name 'a' is used 2 times")]
    [InlineData("""{"plugins": [{"path": "missing.wasm"}]}""", "missing.wasm does not exist")]
    [InlineData("""{"plugins": """, "not valid JSON")]
    public async Task DeployFile_Mistake_IsAUsageErrorNamingItsJsonPath(string content, string message)
    {
        var folder = TempFolder();
        File.Copy(LiveRuntime.Guest("hello.wasm"), Path.Combine(folder, "hello.wasm"));
        var file = Path.Combine(folder, "deploy.json");
        await File.WriteAllTextAsync(file, content);

        var (code, stdout, stderr) = await Wafer("deploy", file, "--server", "http://127.0.0.1:1");

        Assert.True(code == 2, $"exit {code}: {stdout}{stderr}");
        Assert.Contains(message, Flatten(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOption_IsAUsageError()
    {
        var (code, _, stderr) = await Wafer("list", "--sever", "http://127.0.0.1:1");

        Assert.Equal(2, code);
        Assert.Contains("Unrecognized command or argument '--sever'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unreachable_Server_ExitCode6()
    {
        var (code, _, stderr) = await Wafer("list", "--server", "http://127.0.0.1:1");

        Assert.Equal(6, code);
        Assert.Contains("cannot reach http://127.0.0.1:1/", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryVerb_AgainstALiveRuntime()
    {
        await using var runtime = await LiveRuntime.StartAsync();
        var server = runtime.Url;
        var withToken = new Dictionary<string, string> { ["WAFER_TOKEN"] = LiveRuntime.Token, ["WAFER_SERVER"] = server };

        var (code, stdout, stderr) = await Wafer("list", "--server", server, "--json");
        Assert.True(code == 0, stderr);
        Assert.Empty(Json(stdout).GetProperty("plugins").EnumerateArray());

        // Control needs the token: none, then a wrong one, are refused with exit code 5 and nothing is served.
        (code, _, stderr) = await Wafer("deploy", LiveRuntime.Guest("hello.wasm"), "--server", server);
        Assert.Equal(5, code);
        Assert.Contains("refused the request (401): this operation needs 'Authorization: Bearer TOKEN'", Flatten(stderr), StringComparison.Ordinal);
        (code, _, stderr) = await Wafer("deploy", LiveRuntime.Guest("hello.wasm"), "--server", server, "--token", "wrong");
        Assert.Equal(5, code);
        Assert.Contains("the bearer token is not the runtime's API token", Flatten(stderr), StringComparison.Ordinal);
        (code, stdout, _) = await Wafer("list", "--server", server, "--json");
        Assert.Empty(Json(stdout).GetProperty("plugins").EnumerateArray());

        // deploy with the token from WAFER_TOKEN and the server from WAFER_SERVER.
        (code, stdout, stderr) = await Wafer(withToken, "deploy", LiveRuntime.Guest("hello.wasm"));
        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"hello is serving on {server}/", stdout, StringComparison.Ordinal);
        Assert.Contains("4 function(s)", stdout, StringComparison.Ordinal);

        (code, stdout, _) = await Wafer("list", "--server", server);
        Assert.Equal(0, code);
        Assert.Matches(@"│ hello\s+│ functions\s+│", stdout);
        Assert.Contains("1 plugin(s)", stdout, StringComparison.Ordinal);

        (code, stdout, _) = await Wafer("details", "hello", "--server", server, "--json");
        Assert.Equal(0, code);
        var details = Json(stdout);
        Assert.Equal("upload:hello", details.GetProperty("source").GetString());
        Assert.Equal(["greet", "hello", "count", "logAll"], details.GetProperty("functions").EnumerateArray().Select(f => f.GetProperty("name").GetString()));

        // Function routes are public: no token needed.
        (code, stdout, stderr) = await Wafer("invoke", "greet", "--args", """{"name":"Ada"}""", "--server", server);
        Assert.True(code == 0, stderr);
        Assert.Equal("Hello, Ada!", stdout.Trim());
        (code, stdout, _) = await Wafer("invoke", "hello/logAll", "--args", """{"message":"from the cli test"}""", "--server", server, "--json");
        Assert.Equal(0, code);
        Assert.Equal(4, Json(stdout).GetProperty("result").GetInt32());
        (code, _, stderr) = await Wafer("invoke", "greet", "--args", """{"nome":"Ada"}""", "--server", server);
        Assert.Equal(1, code);
        Assert.Contains("answered 400", stderr, StringComparison.Ordinal);
        (code, _, _) = await Wafer("invoke", "nothing", "--server", server);
        Assert.Equal(4, code);

        // Log lines are stored off the call path: ask until they are there.
        (code, stdout, _) = await UntilAsync(() => Wafer("logs", "hello", "--server", server, "--json", "--function", "logAll"),
            r => r.ExitCode != 0 || r.Stdout.Contains("from the cli test", StringComparison.Ordinal));
        Assert.Equal(0, code);
        var logs = Json(stdout);
        Assert.Equal("hello", logs.GetProperty("plugin").GetString());
        Assert.Contains(logs.GetProperty("lines").EnumerateArray(), l => l.GetProperty("message").GetString()!.Contains("from the cli test", StringComparison.Ordinal));
        (code, stdout, _) = await Wafer("logs", "hello", "--server", server);
        Assert.Equal(0, code);
        Assert.Contains("hello.logAll: info: from the cli test", stdout, StringComparison.Ordinal);
        (code, _, stderr) = await Wafer("logs", "nothing", "--server", server);
        Assert.Equal(4, code);
        Assert.Contains("no plugin named 'nothing' is loaded", stderr, StringComparison.Ordinal);

        // Orchestrator-only verbs say so.
        (code, _, stderr) = await Wafer("runtimes", "--server", server);
        Assert.Equal(2, code);
        Assert.Contains($"'wafer runtimes' needs an orchestrator, but {server}/ is a runtime", Flatten(stderr), StringComparison.Ordinal);
        (code, _, stderr) = await Wafer(withToken, "drain", "cli-verbs");
        Assert.Equal(2, code);
        Assert.Contains("'wafer drain' needs an orchestrator", Flatten(stderr), StringComparison.Ordinal);

        // An upload survives a restart of the runtime.
        await runtime.RestartAsync();
        server = runtime.Url;
        withToken["WAFER_SERVER"] = server;
        (code, stdout, _) = await Wafer("invoke", "hello", "--server", server);
        Assert.True(code == 0, stdout);
        Assert.Equal("Hello, world!", stdout.Trim());

        (code, _, stderr) = await Wafer("stop", "hello", "--server", server);
        Assert.Equal(5, code);
        (code, stdout, _) = await Wafer(withToken, "stop", "hello", "--json");
        Assert.Equal(0, code);
        Assert.True(Json(stdout).GetProperty("stopped").GetBoolean());
        (code, _, _) = await Wafer("details", "hello", "--server", server);
        Assert.Equal(4, code);
        (code, _, _) = await Wafer(withToken, "stop", "hello");
        Assert.Equal(4, code);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(LiveRuntime.Guest("hello.wasm"))));
        Assert.False(File.Exists(Path.Combine(runtime.Storage, "uploads", "hello.upload.json")), "the stopped upload is gone from storage");
        Assert.False(File.Exists(Path.Combine(runtime.Storage, "artifacts", hash[..2], hash + ".wasm")), "the stopped upload's wasm is gone from storage");
    }

    [Fact]
    public async Task DeployFile_ToARuntime_ServesEveryPluginWithItsConfig()
    {
        await using var runtime = await LiveRuntime.StartAsync();
        var folder = TempFolder();
        File.Copy(LiveRuntime.Guest("hello.wasm"), Path.Combine(folder, "hello.wasm"));
        File.Copy(LiveRuntime.Guest("hello.wafer.json"), Path.Combine(folder, "hello.wafer.json"));
        var file = Path.Combine(folder, "deploy.json");
        await File.WriteAllTextAsync(file, """
            {"plugins": [
              {"path": "hello.wasm", "name": "one", "config": {"mode": "a"}},
              {"path": "./hello.wasm", "name": "two", "labels": {"zone": "a"}}
            ]}
            """);

        var (code, stdout, stderr) = await Wafer("deploy", file, "--server", runtime.Url, "--token", LiveRuntime.Token, "--json");

        Assert.True(code == 0, stdout + stderr);
        var deployed = Json(stdout);
        Assert.Equal(2, deployed.GetProperty("count").GetInt32());
        Assert.Equal(["one", "two"], deployed.GetProperty("plugins").EnumerateArray().Select(p => p.GetProperty("name").GetString()));
        Assert.Contains("two: labels are placement constraints for an orchestrator; a runtime ignores them", Flatten(stderr), StringComparison.Ordinal);
        var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(runtime.Storage, "uploads", "one.upload.json"))).RootElement.GetProperty("manifest");
        Assert.Equal("a", manifest.GetProperty("config").GetProperty("mode").GetString());
        Assert.Equal("one", manifest.GetProperty("name").GetString());

        (code, stdout, _) = await Wafer("invoke", "two/hello", "--server", runtime.Url);
        Assert.Equal(0, code);
        Assert.Equal("Hello, world!", stdout.Trim());

        await File.WriteAllTextAsync(file, """{"plugins": [{"path": "hello.wasm", "name": "three", "replicas": 2}]}""");
        (code, _, stderr) = await Wafer("deploy", file, "--server", runtime.Url, "--token", LiveRuntime.Token);
        Assert.Equal(2, code);
        Assert.Contains("three: 2 replicas need an orchestrator", Flatten(stderr), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deploy_AProjectFolder_BuildsItFirst_ThenItServes()
    {
        await using var runtime = await LiveRuntime.StartAsync();
        var work = TempFolder();
        var (code, stdout, stderr) = await CliProcess.RunSeparatelyAsync(null, work, Within, "new", "demo");
        Assert.True(code == 0, stdout + stderr);

        (code, stdout, stderr) = await CliProcess.RunSeparatelyAsync(null, work, TimeSpan.FromMinutes(4),
            "deploy", "demo", "--server", runtime.Url, "--token", LiveRuntime.Token);

        Assert.True(code == 0, stdout + stderr);
        Assert.Contains($"building {Path.Combine(work, "demo")}", stdout, StringComparison.Ordinal);
        Assert.Contains("uploading demo (", stdout, StringComparison.Ordinal);
        Assert.Contains($"demo is serving on {runtime.Url}/", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(work, "demo", "build", "demo.wasm")));
        (code, stdout, _) = await Wafer("invoke", "demo/greet", "--args", """{"name":"Ada"}""", "--server", runtime.Url);
        Assert.Equal(0, code);
        Assert.Equal("Hello, Ada!", stdout.Trim());
        (code, stdout, _) = await UntilAsync(() => Wafer("logs", "demo", "--server", runtime.Url),
            r => r.ExitCode != 0 || r.Stdout.Contains("greeting Ada", StringComparison.Ordinal));
        Assert.Equal(0, code);
        Assert.Contains("demo.greet: greeting Ada", stdout, StringComparison.Ordinal);

        // --build rebuilds; with --json the build's output goes to stderr and stdout holds only the JSON.
        (code, stdout, stderr) = await CliProcess.RunSeparatelyAsync(null, work, TimeSpan.FromMinutes(4),
            "deploy", "demo", "--build", "--json", "--server", runtime.Url, "--token", LiveRuntime.Token);
        Assert.True(code == 0, stdout + stderr);
        Assert.Equal("demo", Json(stdout).GetProperty("name").GetString());
    }

    [Fact]
    public async Task Logs_ShowFailedCallsWithTheirCause_AndFollowPrintsNewOnes()
    {
        await using var runtime = await LiveRuntime.StartAsync();
        var server = runtime.Url;
        var (code, stdout, stderr) = await Wafer("deploy", LiveRuntime.Guest("abort.wasm"), "--server", server, "--token", LiveRuntime.Token);
        Assert.True(code == 0, stdout + stderr);

        (code, _, stderr) = await Wafer("invoke", "abort/fail", "--server", server);
        Assert.Equal(1, code);
        Assert.Contains("abort: boom at plugin.c:12", stderr, StringComparison.Ordinal);

        // Log lines are stored off the call path: ask until the failure is there.
        (code, stdout, _) = await UntilAsync(() => Wafer("logs", "abort", "--server", server),
            r => r.ExitCode != 0 || r.Stdout.Contains("call failed", StringComparison.Ordinal));
        Assert.Equal(0, code);
        Assert.Matches(@"error\s+abort\.fail: call failed: abort: boom at plugin\.c:12", stdout);
        (code, stdout, _) = await Wafer("logs", "abort", "--server", server, "--json");
        Assert.Equal(0, code);
        var line = Assert.Single(Json(stdout).GetProperty("lines").EnumerateArray());
        Assert.Equal(("error", "abort"), (line.GetProperty("level").GetString(), line.GetProperty("cause").GetString()));
        Assert.Matches("^[0-9a-f]{6}-[0-9a-f]+$", line.GetProperty("callId").GetString());

        // --follow prints a failure that happens while it runs.
        var since = DateTimeOffset.UtcNow.ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        using var follow = WaferProcess.Start("logs", "abort", "--follow", "--since", since, "--server", server);
        (code, _, _) = await Wafer("invoke", "abort/fail", "--server", server);
        Assert.Equal(1, code);
        await follow.WaitForLineAsync("call failed: abort: boom at plugin.c:12", TimeSpan.FromSeconds(30));
        Assert.False(follow.HasExited, "logs --follow keeps running");
    }

    /// <summary>Runs <paramref name="run"/> until <paramref name="done"/> holds or 10 s pass; returns the last result.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> UntilAsync(
        Func<Task<(int ExitCode, string Stdout, string Stderr)>> run, Func<(int ExitCode, string Stdout, string Stderr), bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var result = await run();
            if (done(result) || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(200);
        }
    }

    private static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "wafer-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }
}
