using System.Net;

namespace Wafer.Gateway.Forwarding;

/// <summary>
/// The one connection pool to the runtimes, shared by forwarding, GraphQL calls and health probes: no proxy,
/// redirects, cookies, decompression or trace headers, a short connect timeout so a dead host fails fast.
/// </summary>
public sealed class RuntimeClient : IDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    public RuntimeClient()
    {
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

    /// <summary>For YARP's forwarder (it needs an invoker, not an HttpClient, to stream responses).</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>For calls the gateway makes itself (GraphQL fields, probes).</summary>
    public HttpClient Http { get; }

    public void Dispose()
    {
        Http.Dispose();
        Invoker.Dispose();
    }
}
