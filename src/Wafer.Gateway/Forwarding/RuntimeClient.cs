using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Wafer.Gateway.Health;
using Wafer.Gateway.Hosting;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Security;

namespace Wafer.Gateway.Forwarding;

/// <summary>
/// The one connection pool to the runtimes, shared by forwarding, GraphQL calls and health probes: no proxy,
/// redirects, cookies, decompression or trace headers, a short connect timeout so a dead host fails fast.
/// </summary>
public sealed partial class RuntimeClient : IDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);

    private readonly ILogger _logger;
    private readonly SocketConnectionContextFactory _sockets;
    private readonly ConcurrentDictionary<string, ChannelSlot> _channels = new(StringComparer.Ordinal);
    private readonly GatewayMetrics? _metrics;
    private readonly byte[]? _callPortKey;

    /// <param name="options">Its <see cref="GatewayOptions.Token"/> proves the gateway on runtimes' call ports.</param>
    public RuntimeClient(ILogger<RuntimeClient>? logger = null, GatewayMetrics? metrics = null, IOptions<GatewayOptions>? options = null)
    {
        _callPortKey = options?.Value.Token is { Length: > 0 } token ? FleetKeys.CallPort(token) : null;
        _metrics = metrics;
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
        // A whole answer frame must fit what the transport reads ahead, or a large answer would stall its connection.
        _sockets = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions { MaxReadBufferSize = 2L * CallFrames.MaxFrameBytes }, _logger);
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
                _metrics?.Sent(GatewayMetrics.Transport.H2c);
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
            _metrics?.Sent(GatewayMetrics.Transport.Http1);
            return (request, await Invoker.SendAsync(request, cancellationToken));
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends a function call over the call protocol to the runtime's h2c port (<see cref="CallChannel"/>), on a channel
    /// shared by every call to that runtime. Null when the call should go over HTTP instead: the runtime has no h2c
    /// port, or its port refused the connection or does not speak the protocol (an older runtime; either way it is
    /// asked again after <see cref="Destination.H2cPause"/>), and nothing was sent. Other exceptions are those of a
    /// call that may have run.
    /// </summary>
    public async Task<CallAnswer?> CallAsync(Destination destination, string plugin, string function, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.H2cPrefix is not { } prefix || !destination.SpeaksCallProtocol)
        {
            return null;
        }

        var slot = _channels.GetOrAdd(prefix, static p => new ChannelSlot(new Uri(p)));
        for (var attempt = 0; ; attempt++)
        {
            CallChannel channel;
            try
            {
                channel = await slot.GetAsync(_sockets, _callPortKey, cancellationToken);
            }
            catch (Exception e) when (e is CallProtocolUnsupportedException || ConnectionFailures.IsRefused(e))
            {
                destination.PauseCallProtocol();
                CallProtocolUnavailable(_logger, destination.RuntimeName, prefix, e.Message);
                return null;
            }

            try
            {
                _metrics?.Sent(GatewayMetrics.Transport.CallProtocol);
                return await channel.CallAsync(plugin, function, body, cancellationToken);
            }
            catch (CallChannelClosedException) when (attempt < 2)
            {
                // the runtime said goodbye before this call was sent: a fresh channel, or a refused connection
            }
            catch (CallChannelClosedException)
            {
                return null; // nothing was sent; HTTP decides whether the runtime is there
            }
        }
    }

    /// <summary>
    /// A function call answered whole: over the call protocol when the runtime speaks it (<see cref="CallAsync"/>),
    /// else over HTTP (<see cref="SendCallAsync"/>), h2c when <paramref name="h2c"/>.
    /// </summary>
    public async Task<CallAnswer> CallWholeAsync(
        Destination destination, bool h2c, string plugin, string function, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (await CallAsync(destination, plugin, function, body, cancellationToken) is { } answer)
        {
            return answer;
        }

        var path = $"/functions/{Uri.EscapeDataString(plugin)}/{Uri.EscapeDataString(function)}";
        var (request, response) = await SendCallAsync(destination, h2c, (prefix, multiplexed) => new HttpRequestMessage(HttpMethod.Post, prefix + path)
        {
            Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
            Version = multiplexed ? HttpVersion.Version20 : HttpVersion.Version11,
            VersionPolicy = multiplexed ? HttpVersionPolicy.RequestVersionExact : HttpVersionPolicy.RequestVersionOrLower,
        }, cancellationToken);
        using (request)
        using (response)
        {
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var callId = response.Headers.TryGetValues(FunctionCall.CallIdHeader, out var ids) ? ids.FirstOrDefault() : null;
            return new CallAnswer((int)response.StatusCode, callId, response.Content.Headers.ContentType?.ToString() ?? "", bytes);
        }
    }

    public void Dispose()
    {
        foreach (var slot in _channels.Values)
        {
            slot.Close();
        }

        Http.Dispose();
        Invoker.Dispose();
    }

    /// <summary>The one open (or opening) call channel to a runtime's h2c port.</summary>
    private sealed class ChannelSlot(Uri address)
    {
        private Task<CallChannel>? _current;

        public Task<CallChannel> GetAsync(SocketConnectionContextFactory sockets, byte[]? key, CancellationToken cancellationToken)
        {
            var current = Volatile.Read(ref _current);
            if (current is not null && (!current.IsCompleted || (current.IsCompletedSuccessfully && current.Result.IsOpen)))
            {
                return current;
            }

            lock (this)
            {
                var latest = _current;
                if (latest == current)
                {
                    _current = latest = OpenAsync(address, sockets, key); // not bound to this call's cancellation: it serves every call after it
                }

                return latest!.WaitAsync(cancellationToken);
            }
        }

        public void Close()
        {
            if (Volatile.Read(ref _current) is { IsCompletedSuccessfully: true } open)
            {
                open.Result.Abort();
            }
        }

        private static async Task<CallChannel> OpenAsync(Uri address, SocketConnectionContextFactory sockets, byte[]? key)
        {
            using var timeout = new CancellationTokenSource(ConnectTimeout);
            try
            {
                return await CallChannel.OpenAsync(address.Host, address.Port, sockets, key, timeout.Token);
            }
            catch (OperationCanceledException e) when (timeout.IsCancellationRequested)
            {
                throw new IOException($"connecting to {address.Authority} timed out after {ConnectTimeout.TotalSeconds:0} s", e);
            }
            catch (SocketException e)
            {
                throw new IOException($"connecting to {address.Authority}: {e.Message}", e); // still refused for ConnectionFailures
            }
        }
    }

    [LoggerMessage(EventId = 6014, EventName = "GatewayCallProtocolUnavailable", Level = LogLevel.Warning,
        Message = "Runtime {Runtime} took no call-protocol connection at {Url} ({Reason}); its calls go over HTTP for a while")]
    private static partial void CallProtocolUnavailable(ILogger logger, string runtime, string url, string reason);

    [LoggerMessage(EventId = 6012, EventName = "GatewayH2cRefused", Level = LogLevel.Warning,
        Message = "Runtime {Runtime} refused HTTP/2 connections at {Url}; its calls go over HTTP/1.1 for a while")]
    private static partial void H2cRefused(ILogger logger, string runtime, string url);
}
