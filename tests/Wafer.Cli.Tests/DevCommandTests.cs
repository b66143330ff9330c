using System.Net.Http.Json;
using System.Text.Json;
using Wafer.Tests.Shared;

namespace Wafer.Cli.Tests;

/// <summary><c>wafer dev</c>: builds, serves, and serves each new build after an edit; a broken edit keeps the last good one.</summary>
public sealed class DevCommandTests
{
    /// <summary>How long a build of the watched plugin may take on a loaded machine, and how often to look.</summary>
    private static readonly TimeSpan BuildBound = TimeSpan.FromMinutes(3);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Dev_ServesTheProjectAndRebuildsOnEdit()
    {
        var work = Path.Combine(Path.GetTempPath(), "wafer-cli-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(work);
        Assert.Equal(0, (await CliProcess.RunAsync(work, TimeSpan.FromMinutes(1), "new", "dev-plugin")).ExitCode);
        var project = Path.Combine(work, "dev-plugin");
        var source = Path.Combine(project, "assembly", "index.ts");
        var port = LoopbackPorts.Free();

        using var process = WaferProcess.StartIn(project, new Dictionary<string, string> { ["WAFER_SDK_PATH"] = Path.Combine(CliProcess.RepositoryRoot, "sdk", "assemblyscript") },
            "dev", "--port", port.ToString(), "--storagePath", Path.Combine(work, "state"));
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.Equal("Hello, Ada!", await GreetWhenAsync(http, r => r is not null, Log));

        File.WriteAllText(source, File.ReadAllText(source).Replace("\"Hello, \"", "\"Hi, \"", StringComparison.Ordinal));
        Assert.Equal("Hi, Ada!", await GreetWhenAsync(http, r => r == "Hi, Ada!", Log));

        File.AppendAllText(source, "\nexport function broken(x: i32): string { return x; }\n");
        await process.WaitForLineAsync("dev-plugin did not build", BuildBound); // wafer dev reports the failed build
        Assert.Equal("Hi, Ada!", await GreetWhenAsync(http, r => r is not null, Log));

        string Log() => process.Output;
    }

    private static async Task<string?> GreetWhenAsync(HttpClient http, Func<string?, bool> done, Func<string> log)
    {
        string? result = null;
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                var response = await http.PostAsJsonAsync("/functions/greet", new { name = "Ada" });
                result = response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("result").GetString() : null;
            }
            catch (HttpRequestException)
            {
                result = null;
            }

            return done(result);
        }, "the greeting wanted", BuildBound, log, Poll);
        return result;
    }
}
