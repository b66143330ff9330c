using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Wafer.Runtime.Calls;

namespace Wafer.Runtime.Hosting;

/// <summary>
/// The second listener of a fleet runtime: HTTP/2 over cleartext with prior knowledge (h2c), for calls from
/// gateways. Kestrel cannot tell HTTP/1.1 from cleartext HTTP/2 on one port (there is no ALPN without TLS), so it
/// is a port of its own. Over HTTP/2 a gateway multiplexes many calls on one connection, and under load one socket
/// write or read carries several of them: that is what keeps the extra hop cheap (docs/benchmarks.md, "Gateway").
/// </summary>
internal sealed class H2cEndpoint
{
    private ListenOptions? _listener;

    /// <summary>The port it is bound to; null when there is no such listener or the server has not started.</summary>
    public int? Port => _listener?.IPEndPoint?.Port is > 0 and var port ? port : null;

    /// <summary>
    /// Listens on <paramref name="url"/> for HTTP/1.1 (and whatever the defaults add) and on the same host at
    /// <paramref name="port"/> (0: a free one) for h2c. Explicit listeners replace the server's URLs, so the main
    /// address is bound here too, first, where the runtime looks for its own address.
    /// </summary>
    internal void Listen(KestrelServerOptions kestrel, string url, int port)
    {
        var address = BindingAddress.Parse(url);
        if (address.IsUnixPipe || !address.Scheme.Equals("http", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"an h2c listener needs an http:// address to sit beside, got '{url}'");
        }

        Bind(kestrel, address.Host, address.Port, _ => { });
        Bind(kestrel, address.Host, port, listener =>
        {
            listener.Protocols = HttpProtocols.Http2;
            listener.UseCallProtocol();
            _listener = listener;
        });
    }

    // The host forms Kestrel accepts in URLs: localhost (both loopbacks), an IP address, or anything else (all addresses).
    private static void Bind(KestrelServerOptions kestrel, string host, int port, Action<ListenOptions> configure)
    {
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) && port == 0)
        {
            kestrel.Listen(IPAddress.Loopback, port, configure); // Kestrel binds a free port on one address only
        }
        else if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(port, configure);
        }
        else if (IPAddress.TryParse(host.Trim('[', ']'), out var ip))
        {
            kestrel.Listen(ip, port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(port, configure);
        }
    }
}
