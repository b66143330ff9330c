using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
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
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "wafer.dll"));
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["WAFER_SDK_PATH"] = Path.Combine(CliProcess.RepositoryRoot, "sdk", "assemblyscript");
        info.Environment["NO_COLOR"] = "1";
        info.Environment.Remove("WAFER_TOKEN");
        using var process = Process.Start(info)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            var clock = Stopwatch.StartNew();
            while (true)
            {
                Assert.False(process.HasExited, $"wafer exited with {(process.HasExited ? process.ExitCode : 0)}:\n{Text(stdout)}\n{Text(stderr)}");
                Assert.True(clock.Elapsed < TimeSpan.FromMinutes(4), $"no answer from greet; stdout:\n{Text(stdout)}\nstderr:\n{Text(stderr)}");
                try
                {
                    var response = await http.PostAsJsonAsync("/functions/greet", new { name = "Ada" });
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException)
                {
                }
                catch (TaskCanceledException)
                {
                }

                await Task.Delay(200);
            }

            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var exited = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await process.WaitForExitAsync(exited.Token);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        return (Text(stdout), Text(stderr));
    }

    private static string Text(StringBuilder builder)
    {
        lock (builder)
        {
            return builder.ToString();
        }
    }
}
