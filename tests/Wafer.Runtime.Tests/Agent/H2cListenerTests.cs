using System.Net;
using Wafer.Protocol.V1;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Agent;

/// <summary>
/// The HTTP/2 cleartext listener a fleet runtime opens for gateways (Hosting/H2cEndpoint): announced beside the
/// runtime's URL, serving the same routes over HTTP/2 with prior knowledge; off on request or behind an advertised
/// URL unless its port is given.
/// </summary>
public sealed class H2cListenerTests
{
    private static async Task<AnnounceBody> AnnounceOf(AgentHarness fleet) =>
        (await fleet.Orchestrator.WaitForAsync(fleet.RuntimeId, MessageTypes.Announce)).Body<AnnounceBody>();

    [Fact]
    public async Task Join_AnnouncesAnH2cUrl_ThatServesFunctionsOverHttp2()
    {
        await using var fleet = await AgentHarness.StartAsync();
        await fleet.RunAsync("m-1");
        var announce = await AnnounceOf(fleet);
        using var http2 = new HttpClient(new SocketsHttpHandler())
        {
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await http2.PostAsync(announce.H2cUrl + "/functions/echo/hello", new StringContent("", System.Text.Encoding.UTF8, "application/json"));

        var h2c = new Uri(announce.H2cUrl!);
        Assert.Equal((Uri.UriSchemeHttp, new Uri(announce.Url).Host), (h2c.Scheme, h2c.Host));
        Assert.NotEqual(new Uri(announce.Url).Port, h2c.Port);
        Assert.Equal(announce.H2cUrl, fleet.Agent.H2cUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Equal(HttpStatusCode.OK, (await fleet.Runtime.PostJsonAsync("/functions/hello", "")).Response.StatusCode); // HTTP/1.1 as before
    }

    [Fact]
    public async Task WarmUp_CallsBothListeners_AndFailsWhenTheH2cOneDoesNotAnswer()
    {
        await using var fleet = await AgentHarness.StartAsync();
        var announce = await AnnounceOf(fleet);
        using var fetcher = new Wafer.Runtime.Agent.ArtifactFetcher(Microsoft.Extensions.Options.Options.Create(new Wafer.Runtime.Hosting.RuntimeOptions()));

        Assert.NotNull(await fetcher.WarmUpAsync(announce.Url, announce.H2cUrl, CancellationToken.None)); // HTTP/1.1, HTTP/2 and the call protocol
        Assert.NotNull(await fetcher.WarmUpAsync(announce.Url, null, CancellationToken.None));
        Assert.Null(await fetcher.WarmUpAsync(announce.Url, $"http://127.0.0.1:{LoopbackPorts.Free()}", CancellationToken.None)); // the HTTP/2 call is made
    }

    [Fact]
    public async Task H2cPortMinusOne_NoListenerAnnounced()
    {
        await using var fleet = await AgentHarness.StartAsync(o => o.Agent.H2cPort = -1);

        Assert.Null((await AnnounceOf(fleet)).H2cUrl);
    }

    [Fact]
    public async Task AdvertisedUrl_H2cOnlyOnAnExplicitPort_OnTheAdvertisedHost()
    {
        var port = LoopbackPorts.Free();
        await using (var free = await AgentHarness.StartAsync(o => o.Agent.AdvertisedUrl = "https://edge-1.example:8443"))
        {
            Assert.Null((await AnnounceOf(free)).H2cUrl);
        }

        await using var given = await AgentHarness.StartAsync(o =>
        {
            o.Agent.AdvertisedUrl = "https://edge-1.example:8443";
            o.Agent.H2cPort = port;
        });

        Assert.Equal($"http://edge-1.example:{port}", (await AnnounceOf(given)).H2cUrl);
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(65536)]
    public void H2cPort_OutOfRange_RefusedNamingTheFlag(int port)
    {
        var options = new Wafer.Runtime.Hosting.RuntimeOptions { PluginsPath = ".", Agent = new() { Join = "mqtt://127.0.0.1:1883", H2cPort = port } };

        Assert.Contains(options.Validate(), e => e.Contains("Agent.H2cPort (--h2cPort)", StringComparison.Ordinal) && e.Contains($"got {port}", StringComparison.Ordinal));
    }
}
