using System.Threading.Channels;
using GraphQL;
using Microsoft.AspNetCore.Http;
using Wafer.GraphQL.Http;

namespace Wafer.GraphQL.Subscriptions;

/// <summary>
/// Writes one operation's results as server-sent events in the graphql-sse "distinct connections" form (what
/// Modus served): an <c>event: next</c> per result, then <c>event: complete</c>. The source's events are queued
/// without waiting (a guest publishing an event never waits for a slow reader); a reader that falls
/// <see cref="MaxQueued"/> events behind is ended with a last error instead of letting the queue grow.
/// </summary>
internal static class EventStreamWriter
{
    public const int MaxQueued = 256;

    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    /// <summary>A result that is not a stream (a query, a mutation, or an error before the stream began): one event, then complete.</summary>
    public static async Task WriteSingleAsync(HttpContext context, ExecutionResult result)
    {
        Start(context);
        await WriteEventAsync(context, "next", result);
        await WriteEventAsync(context, "complete", null);
    }

    public static async Task WriteStreamAsync(HttpContext context, IObservable<ExecutionResult> stream)
    {
        var queue = Channel.CreateBounded<ExecutionResult>(new BoundedChannelOptions(MaxQueued) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });
        var observer = new QueueObserver(queue);
        using var subscription = stream.Subscribe(observer);
        Start(context);
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var aborted = context.RequestAborted;
        try
        {
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(aborted);
                idle.CancelAfter(KeepAlive);
                bool more;
                try
                {
                    more = await queue.Reader.WaitToReadAsync(idle.Token);
                }
                catch (OperationCanceledException) when (!aborted.IsCancellationRequested)
                {
                    await context.Response.WriteAsync(":\n\n", aborted); // a comment line keeps proxies from closing an idle stream
                    await context.Response.Body.FlushAsync(aborted);
                    continue;
                }

                if (!more)
                {
                    break;
                }

                while (queue.Reader.TryRead(out var result))
                {
                    await WriteEventAsync(context, "next", result);
                }

                await context.Response.Body.FlushAsync(aborted);
            }

            if (observer.Overrun)
            {
                await WriteEventAsync(context, "next", new ExecutionResult(new ExecutionError(
                    $"the subscriber fell {MaxQueued} events behind; the stream is ended") { Code = "subscriber_too_slow" }));
            }

            await WriteEventAsync(context, "complete", null);
            await context.Response.Body.FlushAsync(aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // the client went away; disposing the subscription stops the source
        }
    }

    private static void Start(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = GraphQLMediaTypes.EventStream + "; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
    }

    private static async Task WriteEventAsync(HttpContext context, string name, ExecutionResult? result)
    {
        var response = context.Response;
        await response.WriteAsync($"event: {name}\ndata: ", context.RequestAborted);
        if (result is not null)
        {
            // The serializer writes one line: JSON text has no raw line breaks outside strings, and escapes those inside.
            await GraphQLJson.Serializer.WriteAsync(response.Body, result, context.RequestAborted);
        }

        await response.WriteAsync("\n\n", context.RequestAborted);
    }

    /// <summary>Queues what the source sends; ends the stream once the reader is too far behind.</summary>
    private sealed class QueueObserver(Channel<ExecutionResult> queue) : IObserver<ExecutionResult>
    {
        public bool Overrun { get; private set; }

        public void OnNext(ExecutionResult value)
        {
            if (!queue.Writer.TryWrite(value))
            {
                Overrun = true;
                queue.Writer.TryComplete();
            }
        }

        public void OnError(Exception error) => queue.Writer.TryComplete();

        public void OnCompleted() => queue.Writer.TryComplete();
    }
}
