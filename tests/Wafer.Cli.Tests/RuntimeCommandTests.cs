using System.Text.RegularExpressions;
using Wafer.Tests.Shared;

namespace Wafer.Cli.Tests;

/// <summary><c>wafer runtime</c>: settings errors are usage errors; a runtime serves and says where even before the broker answers.</summary>
public sealed partial class RuntimeCommandTests
{
    [Theory]
    [InlineData("--join", "http://broker:1883", "Agent.Join (--join): 'http://broker:1883' is not an mqtt://HOST:PORT")]
    [InlineData("--labels", "zone", "--labels: 'zone' is not key=value")]
    [InlineData("--keepalive", "soon", "--keepalive: 'soon' is not a duration")]
    [InlineData("--advertise", "nowhere", "Agent.AdvertisedUrl (--advertise): 'nowhere' is not an absolute")]
    [InlineData("--logRetention", "a week", "--logRetention: 'a week' is not a duration such as 7d, 12h, 30m or 0")]
    [InlineData("--logLinesPerCall", "0", "Logs:LinesPerCall (--logLinesPerCall) must be between 1 and 1000000, got 0")]
    [InlineData("--errorMessageBytes", "10", "Logs:ErrorMessageBytes (--errorMessageBytes) must be between 256 and 16777216, got 10")]
    [InlineData("--jobMaxRecords", "-5", "Retention:JobMaxRecords (--jobMaxRecords) must be 0 (keep everything) or more, got -5")]
    [InlineData("--retentionInterval", "0", "Retention:Interval (--retentionInterval) must be between 100ms and 1 day, got 00:00:00")]
    public async Task BadSetting_IsAUsageErrorNamingIt(string flag, string value, string message)
    {
        var arguments = new List<string> { "runtime", "--join", "mqtt://127.0.0.1:1", "--storagePath", TempFolder() };
        var at = arguments.IndexOf(flag);
        if (at >= 0)
        {
            arguments[at + 1] = value;
        }
        else
        {
            arguments.AddRange([flag, value]);
        }

        var (code, output) = await CliProcess.RunAsync(Path.GetTempPath(), TimeSpan.FromMinutes(1), [.. arguments]);

        Assert.True(code == 2, output);
        Assert.Contains(message, Flatten(output), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runtime_WithTheBrokerAway_PrintsItsIdAndUrlAndServes()
    {
        var storage = TempFolder();
        using var process = WaferProcess.Start("runtime", "--join", $"mqtt://127.0.0.1:{LoopbackPorts.Free()}", "--port", "0", "--storagePath", storage, "--name", "cli-test");
        var started = StartedLine().Match(await process.WaitForLineAsync(StartedLine().IsMatch, "the line naming its id and url", TimeSpan.FromSeconds(60)));

        Assert.Equal(File.ReadAllText(Path.Combine(storage, "runtime-id")).Trim(), started.Groups["id"].Value);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var health = await http.GetAsync(started.Groups["url"].Value + "/healthz");
        Assert.True(health.IsSuccessStatusCode, $"GET /healthz answered {health.StatusCode}");
    }

    [GeneratedRegex(@"^runtime (?<id>[0-9a-f-]{36}) \(cli-test\) serving on (?<url>http://127\.0\.0\.1:\d+), joining mqtt://127\.0\.0\.1:\d+$")]
    private static partial Regex StartedLine();

    private static string Flatten(string output) => Regex.Replace(output, @"\s+", " ");

    private static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "wafer-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(path);
        return path;
    }
}
