using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Gateway.Health;
using Wafer.Gateway.Hosting;
using Wafer.Hosting.Telemetry.Tracing;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Http;
using Wafer.Protocol.Security;

namespace Wafer.Gateway.Forwarding;

/// <summary>
/// The gateway's connections to the runtimes, shared by forwarding, GraphQL calls and health probes: one call-protocol
/// connection per runtime (<see cref="CallChannel"/>) for calls whose body was read first, and one HTTP/1.1 connection
/// pool (no proxy, redirects, cookies, decompression or trace headers; a short connect timeout so a dead host fails
/// fast) for streamed bodies, runtimes without a call port, handler routes and probes.
/// </summary>
internal sealed class RuntimeClient : IDisposable
{
    private readonly TimeSpan _connectTimeout;
    private readonly SocketConnectionContextFactory _sockets;
    private readonly ConcurrentDictionary<string, ChannelSlot> _channels = new(StringComparer.Ordinal);
    private readonly GatewayMetrics? _metrics;
    private readonly byte[]? _callPortKey;

    /// <param name="options">Its <see cref="GatewayOptions.Token"/> proves the gateway on runtimes' call ports.</param>
    public RuntimeClient(IOptions<GatewayOptions> options, ILogger<RuntimeClient> logger, GatewayMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _callPortKey = options.Value.Token is { Length: > 0 } token ? FleetKeys.CallPort(token) : null;
        _metrics = metrics;
        _connectTimeout = options.Value.ConnectTimeout;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectTimeout = _connectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
        };
        Invoker = new HttpMessageInvoker(handler, disposeHandler: true);
        // A whole answer frame must fit what the transport reads ahead, or a large answer would stall its connection.
        _sockets = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions { MaxReadBufferSize = 2L * CallFrames.MaxFrameBytes }, logger);
        Http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromMinutes(2) };
    }

    /// <summary>For function calls sent over HTTP (<see cref="SendAsync"/>) and YARP's forwarder, which streams responses.</summary>
    public HttpMessageInvoker Invoker { get; }

    /// <summary>For requests the gateway makes itself that are not calls (health probes).</summary>
    public HttpClient Http { get; }

    /// <summary>Sends a function call over HTTP/1.1; the response is returned once its head has come.</summary>
    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        _metrics?.Sent(GatewayMetrics.Transport.Http1);
        return Invoker.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// Sends a function call over the call protocol to the runtime's call port, on the channel every call to that runtime
    /// shares; null when the runtime announced no call port or the body is over <see cref="FunctionCall.ResendableBodyBytes"/>
    /// (send it over HTTP: a runtime takes call frames of at most 512 KiB, and breaks a connection that sends a larger one). A channel that could not be opened (refused,
    /// not completed with the preamble within <see cref="GatewayOptions.ConnectTimeout"/>) or that the runtime keeps
    /// closing (it is stopping) throws <see cref="CallNotSentException"/>: nothing was sent. Other exceptions are those
    /// of a call that may have run.
    /// </summary>
    public async ValueTask<CallAnswer?> CallAsync(Destination destination, string plugin, string function, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.CallPrefix is not { } prefix || body.Length > FunctionCall.ResendableBodyBytes)
        {
            return null;
        }

        var slot = _channels.GetOrAdd(prefix, static p => new ChannelSlot(new Uri(p)));
        for (var attempt = 0; ; attempt++)
        {
            CallChannel channel;
            try
            {
                channel = await slot.GetAsync(_sockets, _callPortKey, _connectTimeout, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new CallNotSentException($"no call connection to {prefix}: {e.Message}", e);
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
            catch (CallChannelClosedException e)
            {
                throw new CallNotSentException($"the runtime at {prefix} keeps closing its call connections (stopping)", e);
            }
        }
    }

    /// <summary>
    /// A function call answered whole: over the call protocol (<see cref="CallAsync"/>), or HTTP/1.1 for a runtime
    /// without a call port or a call with a <paramref name="caller"/> context, whose headers only HTTP carries.
    /// </summary>
    public async Task<CallAnswer> CallWholeAsync(
        Destination destination, string plugin, string function, ReadOnlyMemory<byte> body, CancellationToken cancellationToken, CallerContext? caller = null)
    {
        if (caller is null && await CallAsync(destination, plugin, function, body, cancellationToken) is { } answer)
        {
            return answer;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, $"{destination.Prefix}/functions/{Uri.EscapeDataString(plugin)}/{Uri.EscapeDataString(function)}")
        {
            Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        caller?.ApplyTo(request);
        if (GatewayTracing.Current() is { } span)
        {
            TraceParent.Inject(request, span);
        }

        using var response = await SendAsync(request, cancellationToken);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var callId = response.Headers.TryGetValues(WaferHeaders.CallId, out var ids) ? ids.FirstOrDefault() : null;
        var status = (int)response.StatusCode;
        return new CallAnswer(status, status is >= 200 and < 300 ? CallStatus.Ok : null, callId, response.Content.Headers.ContentType?.ToString() ?? "", bytes);
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

    /// <summary>The one open (or opening) call channel to a runtime's call port.</summary>
    private sealed class ChannelSlot(Uri address)
    {
        private Task<CallChannel>? _current;

        public Task<CallChannel> GetAsync(SocketConnectionContextFactory sockets, byte[]? key, TimeSpan connectTimeout, CancellationToken cancellationToken)
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
                    _current = latest = OpenAsync(address, sockets, key, connectTimeout); // not bound to this call's cancellation: it serves every call after it
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

        private static async Task<CallChannel> OpenAsync(Uri address, SocketConnectionContextFactory sockets, byte[]? key, TimeSpan connectTimeout)
        {
            using var timeout = new CancellationTokenSource(connectTimeout);
            try
            {
                return await CallChannel.OpenAsync(address.Host, address.Port, sockets, key, timeout.Token);
            }
            catch (OperationCanceledException e) when (timeout.IsCancellationRequested)
            {
                throw new IOException($"connecting to {address.Authority} timed out after {connectTimeout.TotalSeconds:0.#} s", e);
            }
            catch (SocketException e)
            {
                throw new IOException($"connecting to {address.Authority}: {e.Message}", e);
            }
        }
    }
}
