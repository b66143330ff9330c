using System.Diagnostics;
using System.Text.RegularExpressions;
using Wafer.Tests.Shared;

namespace Wafer.Cli.Tests;

/// <summary>
/// A real <c>wafer runtime</c> process on a free loopback port, joined to a broker address where nothing listens (so no
/// fleet can place anything on it), with an API token. <see cref="RestartAsync"/> starts it again on the same storage.
/// </summary>
internal sealed partial class LiveRuntime : IAsyncDisposable
{
    public const string Token = "cli-test-token";

    private readonly string _broker = $"mqtt://127.0.0.1:{LoopbackPorts.Free()}";
    private Process _process = null!;

    private LiveRuntime(string storage) => Storage = storage;

    public string Storage { get; }

    public string Url { get; private set; } = "";

    public static async Task<LiveRuntime> StartAsync()
    {
        var storage = Path.Combine(Path.GetTempPath(), "wafer-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(storage);
        var runtime = new LiveRuntime(storage);
        await runtime.LaunchAsync();
        return runtime;
    }

    /// <summary>The test guests built by scripts/test.sh (WAFER_TEST_GUESTS, else tests/guests/out).</summary>
    public static string Guest(string file)
    {
        var folder = Environment.GetEnvironmentVariable("WAFER_TEST_GUESTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(CliProcess.RepositoryRoot, "tests", "guests", "out");
        var path = Path.Combine(folder, file);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is missing: build the test guests (scripts/test.sh)");
    }

    public async Task RestartAsync()
    {
        await StopAsync();
        await LaunchAsync();
    }

    private async Task LaunchAsync()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])[Path.Combine(AppContext.BaseDirectory, "wafer.dll"), "runtime", "--join", _broker,
                     "--port", "0", "--storagePath", Storage, "--name", "cli-verbs", "--token", Token])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["NO_COLOR"] = "1";
        _process = Process.Start(info)!;
        _ = _process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await _process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("wafer runtime exited early");
            if (StartedLine().Match(line) is { Success: true } started)
            {
                Url = started.Groups["url"].Value;
                break;
            }
        }

        _ = Drain(_process.StandardOutput);
    }

    private static async Task Drain(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is not null)
        {
        }
    }

    private async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    [GeneratedRegex(@"serving on (?<url>http://127\.0\.0\.1:\d+), joining")]
    private static partial Regex StartedLine();
}
