using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Wafer.Gateway.Health;

namespace Wafer.Gateway.Forwarding;

/// <summary>
/// The one connection pool to the runtimes, shared by forwarding, GraphQL calls and health probes: no proxy,
/// redirects, cookies, decompression or trace headers, a short connect timeout so a dead host fails fast.
/// </summary>
public sealed partial class RuntimeClient : IDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    private readonly ILogger _logger;

    public RuntimeClient(ILogger<RuntimeClient>? logger = null)
    {
        _logger = logger ?? NullLogger<RuntimeClient>.Instance;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
            ConnectTimeout = ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
        Http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>For function calls (<see cref="SendCallAsync"/>) and YARP's forwarder, which streams responses.</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>For requests the gateway makes itself that are not calls (health probes).</summary>
    public HttpClient Http { get; }

    /// <summary>
    /// Sends a function call built by <paramref name="build"/> (from a base URL and whether it goes over HTTP/2):
    /// over h2c if <paramref name="h2c"/> (<see cref="Destination.BeginCall"/> decides), else over HTTP/1.1. A transport
    /// failure on h2c pauses h2c for that runtime (<see cref="Destination.PauseH2c"/>); a refused h2c connection means
    /// its h2c port is closed, not that the runtime is down, so the call goes to the same runtime over HTTP/1.1 at once
    /// (nothing was sent). The request is returned for the caller to dispose with the response.
    /// </summary>
    public async Task<(HttpRequestMessage Request, HttpResponseMessage Response)> SendCallAsync(
        Destination destination, bool h2c, Func<string, bool, HttpRequestMessage> build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(build);
        if (h2c && destination.H2cPrefix is { } h2cPrefix)
        {
            var multiplexed = build(h2cPrefix, true);
            try
            {
                return (multiplexed, await Invoker.SendAsync(multiplexed, cancellationToken));
            }
            catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
            {
                multiplexed.Dispose();
                destination.PauseH2c();
                if (!ConnectionFailures.IsRefused(e))
                {
                    throw;
                }

                H2cRefused(_logger, destination.RuntimeName, h2cPrefix);
            }
        }

        var request = build(destination.Prefix, false);
        try
        {
            return (request, await Invoker.SendAsync(request, cancellationToken));
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Http.Dispose();
        Invoker.Dispose();
    }

    [LoggerMessage(EventId = 6012, EventName = "GatewayH2cRefused", Level = LogLevel.Warning,
        Message = "Runtime {Runtime} refused HTTP/2 connections at {Url}; its calls go over HTTP/1.1 for a while")]
    private static partial void H2cRefused(ILogger logger, string runtime, string url);
}
