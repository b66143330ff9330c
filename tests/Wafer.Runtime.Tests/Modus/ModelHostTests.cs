using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using System.Net.Sockets;
using Wafer.Runtime.Capabilities.Http;
using Wafer.Runtime.Tests.Capabilities.Support;

namespace Wafer.Runtime.Tests.Modus;

/// <summary>
/// <c>--modelHost</c>: a Modus model on the <c>hypermode</c> connection is posted to <c>http://MODEL.MODELHOST/MODEL:predict</c>
/// (Hypermode's KServe layout). The stand-in model server listens on 127.0.0.1. This machine has no DNS for per-model
/// host names, so the outbound client here connects <c>*.localhost</c> to loopback (a double for the resolver only).
/// </summary>
public sealed class ModelHostTests
{
    private const string ModusJson = """{"models": {"my-classifier": {"sourceModel": "distilbert", "connection": "hypermode"}}}""";

    private static void Map(WebApplication app) =>
        app.MapPost("/{**path}", () => Results.Text(
            """{"predictions":[{"label":"positive","confidence":0.9,"probabilities":[{"label":"positive","probability":0.9},{"label":"negative","probability":0.1}]}]}""",
            "application/json"));

    [Fact]
    public async Task HostedModel_IsPostedToItsHostUnderTheModelHost()
    {
        await using var harness = await CapabilityHarness.StartAsync(Map, _ => """{"name":"hostcall"}""",
            configure: (o, origin) => o.ModelHost = "localhost:" + new Uri(origin).Port,
            services: s => s.AddSingleton(new OutboundHttp(handler => handler.ConnectCallback = ConnectLocalhostSubdomainsToLoopbackAsync)));
        ModusFixtures.Copy("classification-example", harness.Runtime.PluginsPath, "classification", ModusJson);
        await harness.Runtime.Services.GetRequiredService<Wafer.Runtime.Catalog.PluginReloader>().ScanAsync();

        var (response, body) = await harness.Runtime.PostJsonAsync("/functions/classification/classifyText", """{"text":"great","threshold":0.5}""");

        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("positive", body.GetProperty("result").GetString());
        var request = harness.Upstream.Last("/my-classifier:predict");
        Assert.Equal("""{"instances":["great"]}""", request.Body);
        Assert.StartsWith("my-classifier.localhost:", request.Headers["Host"]);
    }

    private static async ValueTask<Stream> ConnectLocalhostSubdomainsToLoopbackAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host.EndsWith(".localhost", StringComparison.Ordinal) ? "127.0.0.1" : context.DnsEndPoint.Host;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(host, context.DnsEndPoint.Port, cancellationToken);
        return new NetworkStream(socket, ownsSocket: true);
    }

    [Fact]
    public async Task HostedModel_WithoutModelHost_FailsSayingWhichFlagServesIt()
    {
        await using var harness = await CapabilityHarness.StartAsync(Map, _ => """{"name":"hostcall"}""");
        ModusFixtures.Copy("classification-example", harness.Runtime.PluginsPath, "classification", ModusJson);
        await harness.Runtime.Services.GetRequiredService<Wafer.Runtime.Catalog.PluginReloader>().ScanAsync();

        var (response, body) = await harness.Runtime.PostJsonAsync("/functions/classification/classifyText", """{"text":"great","threshold":0.5}""");

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Failed to invoke my-classifier model", body.GetProperty("detail").GetString()); // the SDK's abort; the host's reason is in the call's log
        Assert.Contains("start the runtime with --modelHost HOST to send it to http://my-classifier.HOST/my-classifier:predict", harness.Logs.All);
        Assert.Empty(harness.Upstream.Requests);
    }
}
