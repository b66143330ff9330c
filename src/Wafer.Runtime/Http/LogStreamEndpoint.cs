using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Wafer.Hosting.Http;
using Wafer.Protocol.Problems;
using Wafer.Runtime.Logs;
using Wafer.Runtime.Storage;

namespace Wafer.Runtime.Http;

/// <summary>
/// <c>GET /api/logs/stream</c>: call log lines as server-sent events while the client stays, filtered like
/// <c>GET /api/logs</c> (<c>plugin</c>, <c>function</c>) and by <c>callId</c>. Each line is one <c>message</c> event
/// with the same JSON as <c>/api/logs</c>; a <c>dropped</c> event says how many lines this client missed because it
/// read too slowly. A comment every <see cref="Heartbeat"/> keeps proxies from closing an idle stream.
/// </summary>
internal static class LogStreamEndpoint
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapWaferLogStream(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/logs/stream", (
            HttpContext context, CallLogTail tail, IHostApplicationLifetime lifetime, string? plugin, string? function, string? callId) =>
        {
            var reader = tail.Subscribe(new CallLogFilter(Blank(plugin), Blank(function), Blank(callId)));
            return reader is null
                ? Problems.WithRetryAfter(Problems.Create(ProblemTypes.Busy, $"{CallLogTail.MaxReaders} clients are already reading the live log; retry later"), 5)
                : Results.Extensions.LogStream(reader, context.RequestAborted, lifetime.ApplicationStopping);
        });
        return endpoints;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static IResult LogStream(this IResultExtensions _, CallLogTail.Reader reader, CancellationToken aborted, CancellationToken stopping) =>
        new StreamResult(reader, aborted, stopping);

    /// <summary>Ends when the client leaves or the server stops: an open stream must not hold up a shutdown.</summary>
    private sealed class StreamResult(CallLogTail.Reader reader, CancellationToken clientAborted, CancellationToken stopping) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            using var _ = reader;
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(clientAborted, stopping);
            var aborted = ended.Token;
            var response = context.Response;
            response.ContentType = "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
            response.Headers["X-Accel-Buffering"] = "no";
            await response.WriteAsync(": live call log\n\n", aborted);
            await response.Body.FlushAsync(aborted);
            try
            {
                while (!aborted.IsCancellationRequested)
                {
                    using var beat = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                    beat.CancelAfter(Heartbeat);
                    bool more;
                    try
                    {
                        more = await reader.Lines.WaitToReadAsync(beat.Token);
                    }
                    catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                    {
                        await response.WriteAsync(": keepalive\n\n", aborted);
                        await response.Body.FlushAsync(aborted);
                        continue;
                    }

                    if (!more)
                    {
                        return;
                    }

                    if (reader.TakeDropped() is > 0 and var dropped)
                    {
                        await response.WriteAsync($"event: dropped\ndata: {dropped}\n\n", aborted);
                    }

                    while (reader.Lines.TryRead(out var line))
                    {
                        await response.WriteAsync($"data: {JsonSerializer.Serialize(View(line), Json)}\n\n", aborted);
                    }

                    await response.Body.FlushAsync(aborted);
                }
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // the client left, or the server stops
            }
        }
    }

    private static object View(CallLogRecord l) => new
    {
        time = l.Time,
        callId = l.CallId,
        plugin = l.Plugin,
        function = l.Function,
        level = l.Level,
        message = l.Message,
        cause = l.Cause,
    };
}
