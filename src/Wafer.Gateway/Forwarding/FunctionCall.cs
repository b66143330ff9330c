using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Wafer.Protocol.Http;

namespace Wafer.Gateway.Forwarding;

/// <summary>
/// The pieces of a forwarded function call over the runtime connection pool, without YARP: a function call is one
/// request body in and one response out, so it needs no upgrade, trailer or transform handling; sent this way it
/// costs the gateway less CPU than through YARP's forwarder (docs/benchmarks.md, "Gateway").
/// </summary>
internal static class FunctionCall
{
    private const int BufferSize = 16 * 1024;

    /// <summary>Bodies up to this size are read before the call is sent, so it can be sent again to another replica.</summary>
    public const int ResendableBodyBytes = 64 * 1024;

    /// <summary>
    /// Whether an answer without a cause (over HTTP: jobs, calls with a caller context) says the runtime turned the call
    /// away without running it: 404, it does not have the plugin or the function (just moved, stopped or updated: the
    /// gateway only sends a deployment's replicas a function its routes say the deployment exports, so its routes are
    /// behind), or 503, the plugin was being unloaded as the call arrived.
    /// </summary>
    public static bool NotRunThere(int status) => status is StatusCodes.Status404NotFound or StatusCodes.Status503ServiceUnavailable;

    /// <summary>
    /// The caller's body read into a pooled buffer when it declares a length of at most <see cref="ResendableBodyBytes"/>;
    /// null for a larger or chunked body, which is streamed and can go to one replica only.
    /// </summary>
    public static async ValueTask<ResendableBody?> ReadResendableAsync(HttpContext context, CancellationToken cancellationToken)
    {
        if (context.Request.ContentLength is not { } length || length > ResendableBodyBytes)
        {
            return null;
        }

        var body = new ResendableBody((int)length);
        try
        {
            var read = await context.Request.Body.ReadAtLeastAsync(body.Buffer.AsMemory(0, (int)length), (int)length, throwOnEndOfStream: false, cancellationToken);
            if (read != length)
            {
                throw new IOException($"the request body ended after {read} of {length} bytes");
            }

            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The call to send over HTTP/1.1 to <paramref name="prefix"/>: the body from <paramref name="resendable"/> when it was
    /// read first, else streamed from the caller. A streamed body of known length asks the runtime to agree first
    /// (<c>Expect: 100-continue</c>), so a runtime whose request limit is lower than the gateway's answers its 413 before
    /// any of it is sent rather than closing the connection under it.
    /// </summary>
    public static HttpRequestMessage Request(HttpContext context, string prefix, ResendableBody? resendable = null)
    {
        var incoming = context.Request;
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(prefix + incoming.Path.ToUriComponent() + incoming.QueryString.ToUriComponent()))
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        if (resendable is not null)
        {
            request.Content = new ReadOnlyMemoryContent(resendable.Memory);
        }
        else if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true)
        {
            request.Content = new BodyContent(incoming.Body, incoming.ContentLength);
            request.Headers.ExpectContinue = incoming.ContentLength > 0;
        }

        foreach (var (name, values) in incoming.Headers)
        {
            if (IsHopByHop(name) || name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Expect", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // Content-* headers belong to the content; TryAddWithoutValidation refuses them on the request.
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)values);
            }
        }

        return request;
    }

    /// <summary>Status and headers of the runtime's answer onto the gateway's response (not yet started).</summary>
    public static void CopyHead(HttpResponseMessage from, HttpResponse to)
    {
        to.StatusCode = (int)from.StatusCode;
        Copy(from.Headers, to.Headers);
        Copy(from.Content.Headers, to.Headers);
    }

    /// <summary>
    /// Streams the runtime's body to the caller. Returns the runtime's failure, if reading from it failed; a caller
    /// that went away ends the copy quietly.
    /// </summary>
    public static async Task<Exception?> CopyBodyAsync(HttpResponseMessage from, HttpContext to, CancellationToken cancel)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            Stream source;
            try
            {
                source = await from.Content.ReadAsStreamAsync(cancel);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                return e;
            }

            await using (source)
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await source.ReadAsync(buffer, cancel);
                    }
                    catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
                    {
                        return to.RequestAborted.IsCancellationRequested ? null : e;
                    }

                    if (read == 0)
                    {
                        return null;
                    }

                    try
                    {
                        await to.Response.Body.WriteAsync(buffer.AsMemory(0, read), cancel);
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
                    {
                        return null; // the caller went away
                    }
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A runtime's answer over the call protocol onto the gateway's response.</summary>
    public static async Task WriteAnswerAsync(CallAnswer answer, string runtimeName, HttpContext to)
    {
        var response = to.Response;
        response.StatusCode = answer.Status;
        response.ContentType = answer.ContentType;
        response.ContentLength = answer.Body.Length;
        if (answer.CallId is not null)
        {
            response.Headers[WaferHeaders.CallId] = answer.CallId;
        }

        response.Headers[WaferHeaders.Runtime] = runtimeName;
        try
        {
            await response.BodyWriter.WriteAsync(answer.Body, to.RequestAborted);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the caller went away
        }
    }

    private static void Copy(HttpHeaders from, IHeaderDictionary to)
    {
        foreach (var (name, values) in from.NonValidated)
        {
            if (IsHopByHop(name))
            {
                continue;
            }

            to[name] = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues(values.ToArray());
        }
    }

    private static bool IsHopByHop(string name) =>
        name.Equals("Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Keep-Alive", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Upgrade", StringComparison.OrdinalIgnoreCase)
        || name.Equals("TE", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Trailer", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Connection", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Authenticate", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Proxy-Authorization", StringComparison.OrdinalIgnoreCase);

    /// <summary>A caller's body held in a pooled buffer for as long as the call may be sent again.</summary>
    public sealed class ResendableBody(int length) : IDisposable
    {
        public byte[] Buffer { get; } = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));

        public ReadOnlyMemory<byte> Memory => Buffer.AsMemory(0, length);

        private int _returned;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 0)
            {
                ArrayPool<byte>.Shared.Return(Buffer);
            }
        }
    }

    /// <summary>
    /// The caller's body, streamed as it arrives, not disposed with the request (Kestrel owns it). Which side failed is
    /// kept in the exception: <see cref="ClientBodyException"/> when reading from the caller failed (the caller's
    /// fault), <see cref="BodyNotTakenException"/> when the runtime stopped taking it.
    /// </summary>
    internal sealed class BodyContent(Stream body, long? contentLength) : HttpContent
    {
        /// <summary>
        /// How streaming the body failed, if it did: kept here because the client may surface another exception for it
        /// (the connection it was sent on closing), and whose fault it was must not be lost.
        /// </summary>
        public IOException? Fault { get; private set; }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                while (true)
                {
                    int read;
                    try
                    {
                        read = await body.ReadAsync(buffer, cancellationToken);
                    }
                    catch (Exception e) when (e is IOException or OperationCanceledException)
                    {
                        throw Fault = new ClientBodyException(e);
                    }

                    if (read == 0)
                    {
                        return;
                    }

                    try
                    {
                        await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    }
                    catch (IOException e)
                    {
                        throw Fault = new BodyNotTakenException(e);
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = contentLength ?? 0;
            return contentLength is not null;
        }
    }
}
