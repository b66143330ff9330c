using System.Buffers;
using System.Net;

namespace Wafer.Runtime.Capabilities.Http;

/// <summary>
/// The one HTTP client every capability uses to leave the host: a shared connection pool that never follows
/// redirects by itself (callers re-check each hop) and never keeps cookies. Sends are synchronous, because host
/// calls run on the guest's thread, and bounded by the operation's budget, including reading the body.
/// </summary>
internal sealed class OutboundHttp : IDisposable
{
    private readonly SocketsHttpHandler _handler = new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        // Decoded here, so secrets can be scrubbed from what a guest gets and size caps count decoded bytes.
        AutomaticDecompression = DecompressionMethods.All,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
        // Trace context goes out only as CapabilityTracing puts it, from the request's own span: nothing with tracing off.
        ActivityHeadersPropagator = null,
    };

    private readonly HttpMessageInvoker _invoker;

    public OutboundHttp() => _invoker = new HttpMessageInvoker(_handler, disposeHandler: false);

    /// <summary>
    /// A client whose network is adjusted after the settings above: where connections go (<c>ConnectCallback</c>) and
    /// which server certificates are trusted (<c>SslOptions</c>), for tests standing in for hosts they cannot reach.
    /// </summary>
    public OutboundHttp(Action<SocketsHttpHandler> network)
        : this()
    {
        ArgumentNullException.ThrowIfNull(network);
        network(_handler);
    }

    /// <summary>Sends a request and returns once the response headers are in.</summary>
    public HttpResponseMessage Send(HttpRequestMessage request, OperationBudget budget, string operation, string shownUrl)
    {
        request.Version = HttpVersion.Version11;
        request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        using var span = CapabilityTracing.StartRequest(request, shownUrl); // null with tracing off
        try
        {
            var response = _invoker.Send(request, budget.Token);
            CapabilityTracing.Answered(span, (int)response.StatusCode);
            return response;
        }
        catch (Exception ex) when (budget.Expired && ex is OperationCanceledException or HttpRequestException or IOException)
        {
            var timedOut = TimedOut(request.Method, shownUrl, budget, operation);
            CapabilityTracing.Failed(span, timedOut.Message);
            throw timedOut;
        }
        catch (HttpRequestException ex)
        {
            var failed = new CapabilityException($"{operation}: {request.Method} {shownUrl} failed: {ex.Message}");
            CapabilityTracing.Failed(span, failed.Message);
            throw failed;
        }
    }

    /// <summary>Reads the whole body, refusing more than <paramref name="limit"/> bytes.</summary>
    public static byte[] ReadBody(HttpResponseMessage response, int limit, OperationBudget budget, string operation, string shownUrl, string limitName)
    {
        if (response.Content.Headers.ContentLength > limit)
        {
            throw TooLarge(shownUrl, limit, operation, limitName);
        }

        // Synchronous reads ignore tokens: disposing the response aborts the connection and ends the read.
        using var registration = budget.Token.Register(static r => ((HttpResponseMessage)r!).Dispose(), response);
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            using var stream = response.Content.ReadAsStream(budget.Token);
            using var body = new MemoryStream();
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                if (body.Length + read > limit)
                {
                    throw TooLarge(shownUrl, limit, operation, limitName);
                }

                body.Write(chunk, 0, read);
            }

            return body.ToArray();
        }
        catch (Exception ex) when (budget.Expired && ex is not CapabilityException)
        {
            throw TimedOut(response.RequestMessage?.Method ?? HttpMethod.Get, shownUrl, budget, operation);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw new CapabilityException($"{operation}: reading the response of {shownUrl} failed: {ex.Message}");
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static CapabilityException TimedOut(HttpMethod method, string shownUrl, OperationBudget budget, string operation) =>
        new($"{operation}: {method} {shownUrl} timed out after {budget.Limit.TotalMilliseconds:F0} ms, the limit set by {budget.Reason}");

    private static CapabilityException TooLarge(string shownUrl, int limit, string operation, string limitName) =>
        new($"{operation}: the response of {shownUrl} is larger than {limit} bytes ({limitName})");

    public void Dispose()
    {
        _invoker.Dispose();
        _handler.Dispose();
    }
}
