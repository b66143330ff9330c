using Microsoft.AspNetCore.Http;
using Wafer.Hosting.Telemetry.Tracing;
using Yarp.ReverseProxy.Forwarder;

namespace Wafer.Gateway.Forwarding;

/// <summary>
/// Copies a request as YARP does, then puts the current attempt's trace context on it in place of the caller's, so
/// the runtime's spans are children of the gateway's <c>wafer.gateway.send</c>. Used only while tracing is on.
/// </summary>
internal sealed class TraceContextTransformer : HttpTransformer
{
    public static readonly TraceContextTransformer Instance = new();

    public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken cancellationToken)
    {
        await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, cancellationToken);
        if (GatewayTracing.Current() is { } span)
        {
            TraceParent.Inject(proxyRequest, span);
        }
    }
}
