using System.Globalization;
using System.Text.Json;
using Wafer.Tests.Shared;

namespace Wafer.Cli.Tests;

/// <summary>
/// The client verbs next to a <c>wafer serve</c>, pointed at its orchestrator (the default <c>--server</c>): the plugins
/// serve's runtime serves from its folder are no deployments, yet <c>invoke</c>, <c>list</c> and <c>details</c> find them.
/// </summary>
public sealed class ServeFolderVerbTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Verbs_AgainstServesOrchestrator_FindThePluginsOfItsFolder()
    {
        var work = Path.Combine(Path.GetTempPath(), "wafer-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        var plugins = Path.Combine(work, "plugins");
        Directory.CreateDirectory(plugins);
        File.Copy(LiveRuntime.Guest("hello.wasm"), Path.Combine(plugins, "hello.wasm"));
        var orchestratorPort = LoopbackPorts.Free().ToString(CultureInfo.InvariantCulture);
        var server = $"http://127.0.0.1:{orchestratorPort}";
        using var serve = WaferProcess.Start(
            new Dictionary<string, string> { ["HOME"] = work },
            "serve", "--plugins", plugins, "--port", "0", "--orchestratorPort", orchestratorPort, "--brokerPort", "0", "--storagePath", Path.Combine(work, "state"));
        await serve.WaitForLineAsync("Wafer is serving", TimeSpan.FromMinutes(2));

        // the runtime joins its orchestrator over the broker just after start: ask until the orchestrator knows it
        var (code, stdout, stderr) = await UntilAsync(
            () => Wafer("invoke", "greet", "--args", """{"name":"Ada"}""", "--server", server), r => r.ExitCode == 0);
        Assert.True(code == 0, $"exit {code}: {stdout}{stderr}\nserve printed:\n{serve.Output}");
        Assert.Equal("Hello, Ada!", stdout.Trim());

        (code, stdout, stderr) = await Wafer("invoke", "hello/hello", "--server", server, "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal("Hello, world!", JsonDocument.Parse(stdout).RootElement.GetProperty("result").GetString());

        // an unknown name is still not found, with the gateway's message
        (code, stdout, stderr) = await Wafer("invoke", "nothing", "--server", server);
        Assert.Equal(4, code);
        Assert.Contains("no function named 'nothing' is deployed", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await Wafer("invoke", "hello/nothing", "--server", server);
        Assert.Equal(4, code);

        (code, stdout, stderr) = await Wafer("list", "--server", server, "--json");
        Assert.True(code == 0, stderr);
        var list = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(0, list.GetProperty("count").GetInt32());
        var served = Assert.Single(list.GetProperty("servedByRuntimes").EnumerateArray());
        Assert.Equal("hello", served.GetProperty("name").GetString());
        Assert.Equal(Path.Combine(plugins, "hello.wasm"), served.GetProperty("source").GetString());

        (code, stdout, stderr) = await Wafer("list", "--server", server);
        Assert.True(code == 0, stderr);
        Assert.Contains("1 plugin(s) served by runtimes from their own folders", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = await Wafer("details", "hello", "--server", server, "--json");
        Assert.True(code == 0, stderr);
        Assert.Contains("greet", JsonDocument.Parse(stdout).RootElement.GetProperty("functions").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        (code, _, _) = await Wafer("details", "nothing", "--server", server);
        Assert.Equal(4, code);
    }

    private static Task<(int ExitCode, string Stdout, string Stderr)> Wafer(params string[] arguments) =>
        CliProcess.RunSeparatelyAsync(null, Path.GetTempPath(), Within, arguments);

    private static async Task<(int ExitCode, string Stdout, string Stderr)> UntilAsync(
        Func<Task<(int ExitCode, string Stdout, string Stderr)>> run, Func<(int ExitCode, string Stdout, string Stderr), bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var result = await run();
            if (done(result) || DateTime.UtcNow > deadline)
            {
                return result;
            }

            await Task.Delay(250);
        }
    }
}
