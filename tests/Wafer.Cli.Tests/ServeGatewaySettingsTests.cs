using System.Globalization;
using System.Net;
using System.Text;
using Wafer.Tests.Shared;

namespace Wafer.Cli.Tests;

/// <summary>
/// <c>wafer serve</c>'s orchestrator runs a gateway: its settings come through serve's flags, variables and file like
/// every other setting, and the limits the runtime and the gateway share are set for both by one flag.
/// </summary>
public sealed class ServeGatewaySettingsTests
{
    [Fact]
    public async Task Serve_MaxRequestBytes_HoldsAtTheOrchestratorsGatewayToo()
    {
        var work = TempFolder();
        var orchestratorPort = LoopbackPorts.Free();
        using var serve = WaferProcess.Start(
            new Dictionary<string, string> { ["HOME"] = work },
            "serve", "--plugins", work, "--port", "0", "--orchestratorPort", orchestratorPort.ToString(CultureInfo.InvariantCulture), "--brokerPort", "0",
            "--storagePath", Path.Combine(work, "state"), "--maxRequestBytes", "4096");
        await serve.WaitForLineAsync("Wafer is serving", TimeSpan.FromMinutes(2));
        using var http = new HttpClient();
        var padding = new string('a', 8192);
        using var body = new StringContent("""{"query":"{ __typename }","variables":{"padding":""" + "\"" + padding + "\"}}", Encoding.UTF8, "application/json");

        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{orchestratorPort}/graphql"), body);

        // the gateway's default is 4 MiB: without the shared limit this request passes
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Serve_Standalone_GatewaySetting_IsRefusedNamingTheFlag()
    {
        var work = TempFolder();

        var (code, stdout, stderr) = await CliProcess.RunSeparatelyAsync(
            new Dictionary<string, string> { ["HOME"] = work, ["WAFER_PROBE_INTERVAL"] = "3s" }, work, TimeSpan.FromMinutes(1),
            "serve", "--standalone", "--port", "0", "--plugins", work, "--storagePath", Path.Combine(work, "state"));

        Assert.True(code == 2, stdout + stderr);
        Assert.Contains("error: --probeInterval is a setting of the orchestrator's gateway, and --standalone runs none: drop one of them (--probeInterval was set by WAFER_PROBE_INTERVAL)",
            stdout + stderr, StringComparison.Ordinal);
    }

    private static string TempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "wafer-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
