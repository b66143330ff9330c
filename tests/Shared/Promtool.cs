using System.Diagnostics;

namespace Wafer.Tests.Shared;

/// <summary>
/// Prometheus's own checker of the text exposition format (<c>promtool check metrics</c>, Debian package
/// <c>prometheus</c>, installed by scripts/install-test-deps.sh): what a real scraper would refuse or flag.
/// </summary>
public static class Promtool
{
    /// <summary>Checks a scrape; fails the test with promtool's findings (errors and lint problems alike).</summary>
    public static async Task AssertValidAsync(string metrics, string server)
    {
        var start = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(metrics);
        process.StandardInput.Close();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(deadline.Token);
        var said = (await output + await errors).Trim();
        if (process.ExitCode != 0 || said.Length > 0)
        {
            throw new Xunit.Sdk.XunitException($"promtool check metrics refused the /metrics of {server} (exit {process.ExitCode}):\n{said}");
        }
    }
}
