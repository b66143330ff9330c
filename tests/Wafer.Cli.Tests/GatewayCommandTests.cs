namespace Wafer.Cli.Tests;

/// <summary><c>wafer gateway</c>: settings errors are usage errors naming the flag.</summary>
public sealed class GatewayCommandTests
{
    [Theory]
    [InlineData("mqtt://127.0.0.1:1883", "8688", "Orchestrator (--orchestrator) must be an http:// or https:// URL")]
    [InlineData("http://127.0.0.1:8680", "70000", "Port (--port) must be between 0 and 65535")]
    public async Task BadSetting_IsAUsageErrorNamingIt(string orchestrator, string port, string message)
    {
        var (code, output) = await CliProcess.RunAsync(Path.GetTempPath(), TimeSpan.FromMinutes(1), "gateway", "--orchestrator", orchestrator, "--port", port);

        Assert.True(code == 2, output);
        Assert.Contains(message, output.ReplaceLineEndings(" "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoOrchestrator_IsAUsageError()
    {
        var (code, output) = await CliProcess.RunAsync(Path.GetTempPath(), TimeSpan.FromMinutes(1), "gateway");

        Assert.True(code != 0, output);
        Assert.Contains("--orchestrator", output, StringComparison.Ordinal);
    }
}
