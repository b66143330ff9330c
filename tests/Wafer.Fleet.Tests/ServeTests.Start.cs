using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Wafer.Tests.Shared;

namespace Wafer.Fleet.Tests;

/// <summary>How <c>wafer serve</c> starts: the runtime beside the orchestrator, and no call answered before its plugin is there.</summary>
public sealed partial class ServeTests
{
    [Fact]
    public async Task Serve_CalledFromItsFirstMoment_FirstAnswerIsTheFunctionsNever404()
    {
        // a dozen plugins compiled afresh (an empty cache) make the loading take a while
        for (var i = 1; i <= 12; i++)
        {
            var name = $"p{i:D2}";
            File.Copy(Repository.Guest("hello.wasm"), Path.Combine(_folder, "plugins", name + ".wasm"));
            File.WriteAllText(Path.Combine(_folder, "plugins", name + ".wafer.json"), $$"""{ "name": "{{name}}" }""");
        }

        var port = LoopbackPorts.Free();
        var runtimeUrl = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        using var serve = WaferProcess.Start("serve", "serve", "--plugins", Path.Combine(_folder, "plugins"), "--storagePath", Path.Combine(_folder, "storage"),
            "--port", port.ToString(CultureInfo.InvariantCulture), "--orchestratorPort", "0", "--brokerPort", "0");

        // The port refuses connections until every folder plugin is in the catalog: the first answer is the call's.
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var first = await FirstAnswerAsync(serve, client, $"{runtimeUrl}/functions/p12/hello");
        Assert.True(first.Status == HttpStatusCode.OK, $"first answer {(int)first.Status}: {first.Body}\n{serve.Output}");
        Assert.Contains("Hello, world!", first.Body, StringComparison.Ordinal);

        await StartupLineAsync(serve);
        // the runtime's agent waited for the in-process broker instead of failing its first attempts
        Assert.DoesNotContain("Cannot reach the broker", serve.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", serve.Output, StringComparison.Ordinal);
    }

    /// <summary>Posts until something answers (a refused connection is tried again at once), within <see cref="Bound"/>.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> FirstAnswerAsync(TestProcess serve, HttpClient client, string url)
    {
        var deadline = DateTime.UtcNow + Bound;
        while (true)
        {
            try
            {
                using var response = await client.PostAsync(url, new StringContent("{}", Encoding.UTF8, "application/json"));
                return (response.StatusCode, await response.Content.ReadAsStringAsync());
            }
            catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                Assert.False(serve.HasExited, $"serve exited ({(serve.HasExited ? serve.ExitCode : 0)})\n{serve.Output}");
                Assert.True(DateTime.UtcNow < deadline, $"nothing answered {url}\n{serve.Output}");
                await Task.Delay(2);
            }
        }
    }
}
