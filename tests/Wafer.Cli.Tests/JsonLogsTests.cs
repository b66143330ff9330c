using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Wafer.Tests.Shared;

namespace Wafer.Cli.Tests;

/// <summary>
/// <c>--jsonlogs</c>: stdout carries JSON log lines only, each with its <c>Timestamp</c> in ISO 8601 UTC; what the
/// command says to people, and the build's npm and compiler output, go to stderr.
/// </summary>
public sealed class JsonLogsTests
{
    [Fact]
    public async Task Serve_BuildAndJsonLogs_EveryStdoutLineIsJsonWithAUtcTimestamp()
    {
        var work = Path.Combine(Path.GetTempPath(), "wafer-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        var plugins = Path.Combine(work, "plugins");
        Directory.CreateDirectory(plugins);
        Assert.Equal(0, (await CliProcess.RunAsync(plugins, TimeSpan.FromMinutes(1), "new", "json-logs")).ExitCode);
        var port = LoopbackPorts.Free();

        var (stdout, stderr) = await RunUntilAnsweredAsync(work,
            ["serve", "--standalone", "--jsonlogs", "--build", "--plugins", plugins, "--port", port.ToString(CultureInfo.InvariantCulture), "--storagePath", Path.Combine(work, "state")],
            port);

        Assert.Contains("building json-logs", stderr, StringComparison.Ordinal);
        Assert.Contains($"Wafer is serving {plugins} on http://127.0.0.1:{port}", stderr, StringComparison.Ordinal);
        AssertEveryLineIsJsonWithUtcTimestamp(stdout, stderr);
    }

    [Fact]
    public async Task Dev_JsonLogs_EveryStdoutLineIsJsonWithAUtcTimestamp()
    {
        var work = Path.Combine(Path.GetTempPath(), "wafer-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        Assert.Equal(0, (await CliProcess.RunAsync(work, TimeSpan.FromMinutes(1), "new", "dev-json")).ExitCode);
        var port = LoopbackPorts.Free();

        var (stdout, stderr) = await RunUntilAnsweredAsync(Path.Combine(work, "dev-json"),
            ["dev", "--jsonlogs", "--port", port.ToString(CultureInfo.InvariantCulture), "--storagePath", Path.Combine(work, "state")],
            port);

        Assert.Contains("built dev-json", stderr, StringComparison.Ordinal);
        AssertEveryLineIsJsonWithUtcTimestamp(stdout, stderr);
    }

    [Fact]
    public async Task Serve_JsonLogs_ASettingsError_GoesToStderr_LeavingStdoutEmpty()
    {
        var (code, stdout, stderr) = await CliProcess.RunSeparatelyAsync(
            new Dictionary<string, string> { ["WAFER_PORT"] = "eighty" }, Path.GetTempPath(), TimeSpan.FromMinutes(1), "serve", "--jsonlogs");

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains("WAFER_PORT: 'eighty' is not a whole number (for --port)", stderr, StringComparison.Ordinal);
    }

    private static void AssertEveryLineIsJsonWithUtcTimestamp(string stdout, string stderr)
    {
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length >= 2, $"too few log lines on stdout:\n{stdout}\nstderr:\n{stderr}");
        foreach (var line in lines)
        {
            JsonElement entry;
            try
            {
                entry = JsonDocument.Parse(line).RootElement;
            }
            catch (JsonException ex)
            {
                Assert.Fail($"not JSON on stdout ({ex.Message}): {line}\nstderr:\n{stderr}");
                return;
            }

            Assert.True(entry.TryGetProperty("Timestamp", out var stamp) && stamp.ValueKind == JsonValueKind.String, line);
            var text = stamp.GetString()!;
            Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", text);
            var when = DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            Assert.InRange(when, DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddMinutes(1)); // UTC, not local time written as Z
            Assert.True(entry.TryGetProperty("Category", out _), line);
        }
    }

    /// <summary>
    /// Starts <c>wafer ARGS</c>, waits until <c>POST /functions/greet</c> answers, stops it with SIGTERM (so no line is
    /// cut short) and returns stdout and stderr apart.
    /// </summary>
    private static async Task<(string Stdout, string Stderr)> RunUntilAnsweredAsync(string workingDirectory, string[] arguments, int port)
    {
        using var process = WaferProcess.StartIn(workingDirectory, new Dictionary<string, string> { ["WAFER_SDK_PATH"] = Path.Combine(CliProcess.RepositoryRoot, "sdk", "assemblyscript") },
            arguments);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.TrueAsync(async () =>
        {
            if (process.HasExited)
            {
                return true; // no answer will come
            }

            using var response = await http.PostAsJsonAsync("/functions/greet", new { name = "Ada" });
            return response.IsSuccessStatusCode;
        }, "greet answers", TimeSpan.FromMinutes(4), () => $"stdout:\n{process.StandardOutput}\nstderr:\n{process.StandardError}", TimeSpan.FromMilliseconds(200));
        Assert.False(process.HasExited, $"wafer exited with {(process.HasExited ? process.ExitCode : 0)}:\n{process.StandardOutput}\n{process.StandardError}");

        process.Terminate();
        Assert.True(await process.WaitForExitAsync(TimeSpan.FromMinutes(1)), "wafer did not stop on SIGTERM:\n" + process.Tail());
        return (process.StandardOutput, process.StandardError);
    }
}
