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
    private TestProcess _process = null!;

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
        _process = WaferProcess.Start("runtime", "--join", _broker, "--port", "0", "--storagePath", Storage, "--name", "cli-verbs", "--token", Token);
        var started = await _process.WaitForLineAsync(StartedLine().IsMatch, "the line saying where it serves", TimeSpan.FromSeconds(60));
        Url = StartedLine().Match(started).Groups["url"].Value;
    }

    private Task StopAsync()
    {
        _process.Dispose();
        return Task.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    [GeneratedRegex(@"serving on (?<url>http://127\.0\.0\.1:\d+), joining")]
    private static partial Regex StartedLine();
}
