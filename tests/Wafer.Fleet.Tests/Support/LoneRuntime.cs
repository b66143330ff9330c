using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests.Support;

/// <summary>
/// One real <c>wafer runtime</c> process serving a plugins folder of test guests, with its call port on a known
/// loopback port and an API token; it is told to join a broker address where nothing listens, so no fleet places
/// anything on it. Its resident memory is read from /proc, as an operator would see it.
/// </summary>
public sealed partial class LoneRuntime : IAsyncDisposable
{
    public const string Token = "lone-runtime-token";

    private readonly string _folder;

    private LoneRuntime(string folder, TestProcess process, Uri url, Uri h2c)
    {
        _folder = folder;
        Process = process;
        Url = url;
        H2c = h2c;
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = url, Timeout = TimeSpan.FromSeconds(60) };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public TestProcess Process { get; }

    public Uri Url { get; }

    /// <summary>The call port (docs/call-protocol.md).</summary>
    public Uri H2c { get; }

    /// <summary>Sends the API token (control endpoints need it; function routes do not care).</summary>
    public HttpClient Client { get; }

    /// <summary>Starts a runtime serving <paramref name="guests"/> (name → manifest JSON, or null for none) with extra flags.</summary>
    public static async Task<LoneRuntime> StartAsync(IReadOnlyDictionary<string, string?> guests, params string[] flags)
    {
        var folder = Path.Combine(Path.GetTempPath(), "wafer-fleet-tests", "lone-" + Guid.NewGuid().ToString("N")[..10]);
        var plugins = Path.Combine(folder, "plugins");
        Directory.CreateDirectory(plugins);
        foreach (var (guest, manifest) in guests)
        {
            File.Copy(Repository.Guest(guest + ".wasm"), Path.Combine(plugins, guest + ".wasm"));
            if (manifest is not null)
            {
                File.WriteAllText(Path.Combine(plugins, guest + ".wafer.json"), manifest);
            }
        }

        // The call port must be named up front (the test calls it), so another process may take it between the
        // pick and the bind: then the runtime says so naming --h2cPort, and starts again on another.
        int h2cPort;
        TestProcess process;
        Uri url;
        for (var attempt = 1; ; attempt++)
        {
            h2cPort = LoopbackPorts.Free();
            process = WaferProcess.Start("runtime", [
                "runtime", "--join", $"mqtt://127.0.0.1:{LoopbackPorts.Free()}", "--name", "lone", "--port", "0",
                "--h2cPort", h2cPort.ToString(CultureInfo.InvariantCulture), "--plugins", plugins, "--storagePath", Path.Combine(folder, "storage"),
                "--token", Token, .. flags,
            ]);
            try
            {
                var line = await process.WaitForLineAsync(StartedLine().IsMatch, "the line saying where it serves", TimeSpan.FromSeconds(60));
                url = new Uri(StartedLine().Match(line).Groups["url"].Value);
                break;
            }
            catch (Xunit.Sdk.XunitException) when (attempt < 3 && process.HasExited && process.Output.Contains("(--h2cPort)", StringComparison.Ordinal))
            {
                process.Dispose();
            }
        }

        var runtime = new LoneRuntime(folder, process, url, new Uri($"http://127.0.0.1:{h2cPort}"));
        await Eventually.TrueAsync(async () =>
        {
            using var response = await runtime.Client.GetAsync("/api/plugins");
            var text = await response.Content.ReadAsStringAsync();
            return guests.Keys.All(g => text.Contains($"\"name\":\"{g}\"", StringComparison.Ordinal));
        }, "every guest is loaded", TimeSpan.FromSeconds(60));
        return runtime;
    }

    /// <summary>The process's resident memory now (VmRSS), in MiB.</summary>
    public long RssMb()
    {
        foreach (var line in File.ReadLines($"/proc/{Process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
            }
        }

        throw new InvalidOperationException("no VmRSS for the runtime process");
    }

    public async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostAsync(string path, string json)
    {
        using var content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var response = await Client.PostAsync(path, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Process.Dispose();
        await Task.Yield();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [GeneratedRegex(@"serving on (?<url>http://127\.0\.0\.1:\d+), joining")]
    private static partial Regex StartedLine();
}
