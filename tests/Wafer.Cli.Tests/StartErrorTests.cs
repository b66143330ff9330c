using System.Net;
using System.Net.Sockets;

namespace Wafer.Cli.Tests;

/// <summary>
/// A server command that cannot start says why in one line naming the port and the flag, with no stack trace unless
/// <c>--verbose</c>; it never moves to another port on its own (only <c>--port 0</c> picks one).
/// </summary>
public sealed class StartErrorTests
{
    [Fact]
    public async Task Serve_PortTaken_OneLineNamingPortAndFlag_NoStackTrace()
    {
        using var taken = Occupy();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var (code, output) = await RunAsync("serve", "--standalone", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(code == 1, output);
        var errors = Lines(output).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("fail", StringComparison.Ordinal)).ToList();
        var error = Assert.Single(errors);
        Assert.StartsWith($"error: the runtime cannot listen on http://127.0.0.1:{port} (--port): ", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Lines(output), l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal) || l.Contains(" at System.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Orchestrator_BrokerPortTaken_NamesTheBrokerPortAlone()
    {
        using var taken = Occupy();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (code, output) = await RunAsync("orchestrator", "--port", "0", "--brokerPort", port);

        Assert.True(code == 1, output);
        var error = Assert.Single(Lines(output), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.StartsWith($"error: the orchestrator cannot listen on the broker port 127.0.0.1:{port} (--brokerHost, --brokerPort): ", error, StringComparison.Ordinal);
        Assert.DoesNotContain(Lines(output), l => l.StartsWith("crit:", StringComparison.Ordinal) || l.Contains(" at System.", StringComparison.Ordinal) || l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dev_PortTaken_FailsBeforeBuilding_OneLineNamingPortAndFlag()
    {
        using var taken = Occupy();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        // a plugin project whose build would run npm (and print "building dev-port") before any port is bound
        var project = Path.Combine(Path.GetTempPath(), "wafer-start-" + Guid.NewGuid().ToString("N")[..8], "dev-port");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "wafer.json"), """{ "name": "dev-port" }""");
        File.WriteAllText(Path.Combine(project, "package.json"), """{ "name": "dev-port", "private": true }""");

        var (code, stdout, stderr) = await CliProcess.RunSeparatelyAsync(
            new Dictionary<string, string> { ["HOME"] = project, ["COLUMNS"] = "1000" }, project, TimeSpan.FromMinutes(1),
            "dev", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--storagePath", Path.Combine(project, "state"));

        var output = stdout + stderr;
        Assert.True(code == 1, output);
        Assert.Equal(
            $"error: wafer dev cannot listen on http://127.0.0.1:{port} (--port): Address already in use (another process may use the port; choose another, or 0 for a free one)",
            Assert.Single(Lines(output)));
        Assert.False(Directory.Exists(Path.Combine(project, "node_modules")), "the build ran");
        Assert.False(Directory.Exists(Path.Combine(project, "state")), "the runtime's state was made");
    }

    [Fact]
    public async Task Serve_PortTaken_WithVerbose_PrintsTheStackTrace()
    {
        using var taken = Occupy();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (code, output) = await RunAsync("serve", "--standalone", "--port", port, "--verbose");

        Assert.True(code == 1, output);
        Assert.Contains(Lines(output), l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_BadOption_OneLine()
    {
        var (code, output) = await RunAsync("serve", "--standalone", "--port", "0", "--maxQueuedCalls", "-1");

        Assert.True(code == 2, output);
        Assert.Equal(["error: MaxQueuedCalls (--maxQueuedCalls) must be between 0 and 100000, got -1"], Lines(output));
    }

    [Fact]
    public async Task Runtime_CallPortTaken_NamesTheH2cPortFlag()
    {
        using var taken = Occupy();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var noBroker = Occupy(); // a port nothing answers MQTT on: the listeners fail before the runtime joins

        var (code, output) = await RunAsync("runtime", "--join", $"mqtt://127.0.0.1:{((IPEndPoint)noBroker.LocalEndpoint).Port}",
            "--port", "0", "--h2cPort", port);

        Assert.True(code == 1, output);
        var error = Assert.Single(Lines(output), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.StartsWith($"error: the runtime cannot listen on http://127.0.0.1:{port} (--h2cPort): ", error, StringComparison.Ordinal);
    }

    private static TcpListener Occupy()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static async Task<(int Code, string Output)> RunAsync(params string[] arguments)
    {
        var folder = Path.Combine(Path.GetTempPath(), "wafer-start-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        string[] storage = arguments[0] == "serve" ? ["--plugins", folder, "--storagePath", Path.Combine(folder, "s")] : ["--storagePath", Path.Combine(folder, "o")];
        var (code, stdout, stderr) = await CliProcess.RunSeparatelyAsync(
            new Dictionary<string, string> { ["HOME"] = folder, ["COLUMNS"] = "1000" }, folder, TimeSpan.FromMinutes(1), [.. arguments, .. storage]);
        return (code, stdout + stderr);
    }
}
