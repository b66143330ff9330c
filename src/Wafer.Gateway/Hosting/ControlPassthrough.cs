using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Wafer.Gateway.Http;
using Wafer.Hosting.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Wafer.Gateway.Hosting;

/// <summary>
/// A standalone gateway passes <c>/api/…</c> to the orchestrator. With a token configured, every control operation
/// (anything but a read, plus artifact downloads and the route feed) needs <c>Authorization: Bearer TOKEN</c> here
/// before it goes on; the header is forwarded, and the orchestrator checks its own token too.
/// </summary>
internal sealed class ControlPassthrough : IDisposable
{
    private static readonly ForwarderRequestConfig RequestConfig = new() { ActivityTimeout = TimeSpan.FromMinutes(5), Version = HttpVersion.Version11 };

    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _invoker = new(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false, ActivityHeadersPropagator = null });
    private readonly string _orchestrator;
    private readonly string? _token;

    public ControlPassthrough(IHttpForwarder forwarder, IOptions<GatewayOptions> options)
    {
        _forwarder = forwarder;
        _orchestrator = options.Value.Orchestrator!.TrimEnd('/');
        _token = options.Value.Token;
    }

    public async Task ForwardAsync(HttpContext context)
    {
        if (IsControl(context.Request) && BearerToken.Check(context.Request, _token) != BearerCheck.Passed)
        {
            await GatewayProblems.Unauthorized().ExecuteAsync(context);
            return;
        }

        var error = await _forwarder.SendAsync(context, _orchestrator, _invoker, RequestConfig, BrowserHeadersChecked.Instance);
        if (error != ForwarderError.None && !context.Response.HasStarted)
        {
            context.Response.Clear();
            await GatewayProblems.OrchestratorUnreachable(_orchestrator, error.ToString()).ExecuteAsync(context);
        }
    }

    public void Dispose() => _invoker.Dispose();

    /// <summary>
    /// The gateway has judged the browser's <c>Origin</c> against its own address (<c>CrossSiteGuard</c>); the
    /// orchestrator, reached at another address, would take the gateway's own origin for a foreign one.
    /// </summary>
    private sealed class BrowserHeadersChecked : HttpTransformer
    {
        public static readonly BrowserHeadersChecked Instance = new();

        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
            proxyRequest.Headers.Remove("Origin");
            proxyRequest.Headers.Remove("Sec-Fetch-Site");
        }
    }

    private static bool IsControl(HttpRequest request) =>
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        || request.Path.StartsWithSegments("/api/artifacts", StringComparison.Ordinal)
        || request.Path.StartsWithSegments("/api/routes", StringComparison.Ordinal);
}
