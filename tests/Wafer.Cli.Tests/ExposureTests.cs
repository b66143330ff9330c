using System.Net;
using System.Net.Sockets;

namespace Wafer.Cli.Tests;

/// <summary>
/// Every server refuses to listen beyond loopback with no token, unless <c>--insecure</c> says so, which is logged as
/// it starts. Nothing here listens beyond loopback: a refused server never binds, and the <c>--insecure</c> test makes
/// the bind fail on a port this test holds.
/// </summary>
public sealed class ExposureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public static TheoryData<string[]> ServersBeyondLoopback() => new()
    {
        { ["serve", "--host", "0.0.0.0", "--plugins", Path.GetTempPath()] },
        { ["serve", "--standalone", "--host", "0.0.0.0", "--plugins", Path.GetTempPath()] },
        { ["runtime", "--join", "mqtt://127.0.0.1:1", "--host", "0.0.0.0"] },
        { ["orchestrator", "--host", "0.0.0.0"] },
        { ["gateway", "--orchestrator", "http://127.0.0.1:1", "--host", "0.0.0.0"] },
        { ["dev", Path.GetTempPath(), "--host", "0.0.0.0"] },
    };

    [Theory]
    [MemberData(nameof(ServersBeyondLoopback))]
    public async Task ServerBeyondLoopback_WithoutAToken_RefusesToStart(string[] arguments)
    {
        var (code, output) = await CliProcess.RunAsync(Path.GetTempPath(), Timeout, arguments);

        var text = output.ReplaceLineEndings(" ");
        Assert.True(code == 2, output);
        Assert.Contains("would listen on 0.0.0.0 (--host), beyond loopback, with no token", text, StringComparison.Ordinal);
        Assert.Contains("Set a token (--token or WAFER_TOKEN), bind 127.0.0.1, or pass --insecure", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("runtime|--join|mqtt://127.0.0.1:1")]
    [InlineData("serve|--standalone")]
    [InlineData("serve|--orchestratorPort|0|--brokerPort|0")]
    public async Task WafersTokenVariable_CountsAsAToken(string command)
    {
        // The token (through the configuration path, as --token) passes the exposure rule; the server then stops at
        // its next check (a plugins folder that does not exist).
        var missing = Path.Combine(Path.GetTempPath(), "wafer-no-such-folder-" + Guid.NewGuid().ToString("N")[..8]);
        var (code, stdout, stderr) = await CliProcess.RunSeparatelyAsync(
            new Dictionary<string, string> { ["WAFER_TOKEN"] = "t0ken", ["HOME"] = Path.GetTempPath() }, Path.GetTempPath(), Timeout,
            [.. command.Split('|'), "--host", "0.0.0.0", "--port", "0", "--plugins", missing, "--storagePath", missing + "-state"]);

        var output = (stdout + stderr).ReplaceLineEndings(" ");
        Assert.True(code == 2, output);
        Assert.DoesNotContain("beyond loopback", output, StringComparison.Ordinal);
        Assert.Contains("does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insecure_StartsBeyondLoopbackWithAWarning()
    {
        // Holding 127.0.0.1:PORT makes the gateway's bind of 0.0.0.0:PORT fail, after the warning, without it ever listening.
        using var held = new TcpListener(IPAddress.Loopback, 0);
        held.Start();
        var port = ((IPEndPoint)held.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var (code, output) = await CliProcess.RunAsync(Path.GetTempPath(), Timeout,
            "gateway", "--orchestrator", "http://127.0.0.1:1", "--host", "0.0.0.0", "--port", port, "--insecure");

        var text = output.ReplaceLineEndings(" ");
        Assert.True(code == 1, output);
        Assert.Contains($"the gateway listens on http://0.0.0.0:{port}, beyond loopback, with no token (--insecure)", text, StringComparison.Ordinal);
        Assert.Contains("cannot listen on", text, StringComparison.Ordinal);
    }
}
