using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Capabilities.Http;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Tests.Capabilities.Support;
using Wafer.Runtime.Tests.Support;
using Wafer.Tests.Shared;

namespace Wafer.Runtime.Tests.Modus;

/// <summary>
/// <c>modus_http_client.fetch</c> end to end with the http example as built: its URLs are fixed in the module
/// (<c>https://api.github.com/…</c>, <c>https://zenquotes.io/…</c>, <c>https://picsum.photos/…</c>,
/// <c>https://example.com/</c>), and this machine cannot reach those hosts, so the runtime's outbound client connects
/// every host to one HTTPS stand-in on 127.0.0.1 and trusts only its certificate. Everything else is real: the
/// allow-list of the app's modus.json connections, the connection's <c>{{AUTH_TOKEN}}</c> header filled from
/// <c>MODUS_GITHUB_AUTH_TOKEN</c>, TLS, the request and response crossing the boundary as AssemblyScript values.
/// </summary>
public sealed class ModusHttpFetchTests : IAsyncLifetime
{
    private const string GitHubToken = "ghp-modus-fetch-secret";
    private const string ZenKey = "zen-query-secret";

    private readonly X509Certificate2 _certificate = SelfSigned("api.github.com", "zenquotes.io", "picsum.photos", "example.com");
    private readonly CapturingLoggerProvider _logs = new();
    private StandInServer _upstream = null!;
    private RuntimeServer _server = null!;

    public async ValueTask InitializeAsync()
    {
        _upstream = await StandInServer.StartAsync(Map, _certificate);
        var port = _upstream.Address.Port;
        var trusted = _certificate.Thumbprint;
        _server = await RuntimeServer.StartAsync([], services: services =>
        {
            services.AddSingleton<ILoggerProvider>(_logs);
            services.Configure<LoggerFilterOptions>(o => o.Rules.Insert(0, new LoggerFilterRule(typeof(CapturingLoggerProvider).FullName, null, LogLevel.Trace, null)));
            services.AddSingleton(new OutboundHttp(handler =>
            {
                handler.ConnectCallback = async (_, cancellationToken) =>
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                    await socket.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                };
                handler.SslOptions = new SslClientAuthenticationOptions
                {
                    RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is X509Certificate2 c && c.Thumbprint == trusted,
                };
            }));
        });
        File.WriteAllText(Path.Combine(_server.PluginsPath, ".env"), $"MODUS_GITHUB_AUTH_TOKEN={GitHubToken}\nMODUS_ZENQUOTES_KEY={ZenKey}\n");
        ModusFixtures.Copy("http-example", _server.PluginsPath, "http", """
            {
              "connections": {
                "github": {"type": "http", "baseUrl": "https://api.github.com/", "headers": {"Authorization": "Bearer {{AUTH_TOKEN}}"}},
                "zenquotes": {"type": "http", "baseUrl": "https://zenquotes.io/", "queryParameters": {"key": "{{KEY}}", "lang": "en"}},
                "picsum": {"type": "http", "baseUrl": "https://picsum.photos/"}
              }
            }
            """);
        await _server.Services.GetRequiredService<PluginReloader>().ScanAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        await _upstream.DisposeAsync();
        _certificate.Dispose();
    }

    private static void Map(WebApplication app)
    {
        app.MapPost("/repos/{owner}/{repo}/issues", async (HttpContext c, string owner, string repo) =>
        {
            var sent = await JsonDocument.ParseAsync(c.Request.Body);
            var issue = new
            {
                // A careless API echoing the credential back: what the guest reads must not hold it.
                title = owner == "echo" ? c.Request.Headers.Authorization.ToString() : sent.RootElement.GetProperty("title").GetString(),
                body = sent.RootElement.GetProperty("body").GetString(),
                html_url = $"https://github.com/{owner}/{repo}/issues/1",
            };
            return Results.Json(issue, statusCode: 201);
        });
        app.MapGet("/api/random", () => Results.Text("""[{"q":"Be curious.","a":"Ada","h":"x"}]""", "application/json"));
        app.MapGet("/200/300", () => Results.Bytes([0xFF, 0xD8, 0xFF], "image/jpeg"));
        app.MapGet("/", () => Results.Text("<html>hi</html>", "text/html"));
    }

    private async Task<JsonElement> Result(string function, string json = "{}")
    {
        var (response, body) = await _server.PostJsonAsync("/functions/http/" + function, json);
        Assert.True(response.IsSuccessStatusCode, $"{function}: {(int)response.StatusCode} {body}");
        return body.GetProperty("result");
    }

    [Fact]
    public async Task Fetch_ToADeclaredConnection_CarriesItsSecretHeader_AndTheAnswerComesBackTyped()
    {
        var issue = await Result("createGithubIssue", """{"owner":"o","repo":"r","title":"T","body":"B"}""");
        Assert.Equal(("T", "B", "https://github.com/o/r/issues/1"),
            (issue.GetProperty("title").GetString(), issue.GetProperty("body").GetString(), issue.GetProperty("url").GetString()));

        var sent = _upstream.Last("/repos/o/r/issues");
        Assert.Equal("POST", sent.Method);
        Assert.Equal("api.github.com", sent.Headers["Host"]);
        Assert.Equal("Bearer " + GitHubToken, sent.Headers["Authorization"]);
        Assert.Equal("application/vnd.github+json", sent.Headers["Accept"]);
        Assert.Equal("2022-11-28", sent.Headers["X-GitHub-Api-Version"]);
        Assert.Equal("application/json", sent.Headers["Content-Type"]);
        Assert.Equal("""{"title":"T","body":"B","html_url":null}""", sent.Body);

        var quote = await Result("getRandomQuote");
        Assert.Equal("""{"quote":"Be curious.","author":"Ada"}""", quote.GetRawText());
        Assert.Equal("zenquotes.io", _upstream.Last("/api/random").Headers["Host"]);
        Assert.Equal($"/api/random?key={ZenKey}&lang=en", _upstream.Last("/api/random").Path); // the connection's queryParameters, host-side
        Assert.DoesNotContain("key=", _upstream.Last("/repos/o/r/issues").Path, StringComparison.Ordinal);
        Assert.False(_upstream.Last("/api/random").Headers.ContainsKey("Authorization"), "the github connection's header went to another connection");

        var image = await Result("getRandomImage", """{"width":200,"height":300}""");
        Assert.Equal("""{"contentType":"image/jpeg","data":"/9j/"}""", image.GetRawText());

        var graphql = await _server.GraphQLAsync("{ randomQuote { author } }");
        Assert.Equal("""{"data":{"randomQuote":{"author":"Ada"}}}""", graphql.GetRawText());
    }

    [Fact]
    public async Task Fetch_ToAHostNoConnectionDeclares_IsRefusedBeforeAnyRequest_AndTheGuestFails()
    {
        var (response, problem) = await _server.PostJsonAsync("/functions/http/getExampleHtml", "{}");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("abort", problem.GetProperty("cause").GetString());
        Assert.Contains("HTTP fetch failed. Check the logs for more information.", problem.GetProperty("detail").GetString());
        Assert.DoesNotContain(_upstream.Requests, r => r.Headers.GetValueOrDefault("Host") == "example.com");
        await Eventually.TrueAsync(() => _logs.All.Contains("https://example.com/ is not under any declared connection", StringComparison.Ordinal), "the refusal in the call's log",
            TimeSpan.FromSeconds(10));
        Assert.DoesNotContain("cannot be passed to the guest", _logs.All, StringComparison.Ordinal); // one line says why, not a second about the null
    }

    [Fact]
    public async Task Fetch_AnswerEchoingTheSecret_ReachesTheGuestScrubbed()
    {
        var issue = await Result("createGithubIssue", """{"owner":"echo","repo":"r","title":"T","body":"B"}""");

        Assert.Equal("Bearer " + GitHubToken, _upstream.Last("/repos/echo/r/issues").Headers["Authorization"]);
        var title = issue.GetProperty("title").GetString()!;
        Assert.StartsWith("Bearer ", title, StringComparison.Ordinal);
        Assert.DoesNotContain(GitHubToken, title, StringComparison.Ordinal);
    }

    private static X509Certificate2 SelfSigned(params string[] hosts)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=" + hosts[0], key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        foreach (var host in hosts)
        {
            names.AddDnsName(host);
        }

        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
