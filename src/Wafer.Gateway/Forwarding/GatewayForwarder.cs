using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Gateway.Health;
using Wafer.Gateway.Hosting;
using Wafer.Gateway.Http;
using Wafer.Gateway.Routes;
using Wafer.Hosting.Http;
using Wafer.Hosting.Telemetry.Tracing;
using Wafer.Protocol.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Wafer.Gateway.Forwarding;

/// <summary>
/// Sends a request to a replica through <see cref="ReplicaLoop"/>, a function call over the call protocol or HTTP/1.1
/// (<see cref="CallAsync"/>) or a handler route through YARP's forwarder (<see cref="ForwardAsync"/>), and turns where it
/// ended up into the caller's answer: the runtime's, a 4xx for a body the caller got wrong, 502/504 when the runtime
/// failed, 503 when no replica took it. A body over <see cref="GatewayOptions.MaxRequestBytes"/> is refused 413 before
/// any runtime sees it.
/// </summary>
internal sealed partial class GatewayForwarder(
    IHttpForwarder forwarder, RuntimeClient client, ReplicaLoop loop, GatewayMetrics metrics, IOptions<GatewayOptions> options, ILogger<GatewayForwarder> logger)
{
    private readonly int _maxRequestBytes = options.Value.MaxRequestBytes;

    private readonly ForwarderRequestConfig _requestConfig = new()
    {
        ActivityTimeout = options.Value.CallTimeout,
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    public async Task ForwardAsync(HttpContext context, ReplicaSet replicas)
    {
        var started = Stopwatch.GetTimestamp();
        var span = GatewayTracing.StartHandler(context.Request, replicas.Deployment); // null with tracing off
        try
        {
            await ForwardToReplicaAsync(context, replicas);
        }
        finally
        {
            if (span is not null)
            {
                GatewayTracing.EndCall(span, context.Response);
            }
        }

        metrics.Answered(replicas.Deployment, GatewayMetrics.Handler, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
    }

    private async Task ForwardToReplicaAsync(HttpContext context, ReplicaSet replicas)
    {
        if (LimitBody(context) is { } tooLarge)
        {
            await tooLarge.ExecuteAsync(context);
            return;
        }

        using var deadline = loop.Deadline(context.RequestAborted);
        var outcome = await loop.SendAsync(replicas, canResend: false, (Forwarder: this, Context: context),
            static (destination, state, _) => state.Forwarder.ForwardOnceAsync(state.Context, destination), deadline);
        if (outcome.NoReplica)
        {
            context.Response.Headers.Remove(WaferHeaders.Runtime);
            await GatewayProblems.NoReplica(replicas.Deployment).ExecuteAsync(context);
        }
        else if (outcome.Attempt.Failure is CallFailure.Broke or CallFailure.TimedOut or CallFailure.BodyNotTaken && !context.Response.HasStarted)
        {
            context.Response.Clear(); // YARP's bare 502/504: a problem naming the runtime instead
            await UnreachableAsync(context, replicas.Deployment, outcome.Destination!, outcome.Attempt);
        }

        // Otherwise YARP passed the answer on, set the status the caller's fault earns (413, 400, 408), or cut the answer short.
    }

    private async ValueTask<Attempt> ForwardOnceAsync(HttpContext context, Destination destination)
    {
        context.Response.Headers[WaferHeaders.Runtime] = destination.RuntimeName;
        var span = GatewayTracing.StartSend(destination, GatewayTracing.Http); // null with tracing off
        var error = await forwarder.SendAsync(context, destination.Prefix, client.Invoker, _requestConfig, span is null ? HttpTransformer.Default : TraceContextTransformer.Instance);
        if (error == ForwarderError.None)
        {
            GatewayTracing.EndSend(span, context.Response.StatusCode, null);
            return Attempt.Answered(new RuntimeAnswer(context.Response.StatusCode));
        }

        GatewayTracing.EndSend(span, 0, error.ToString());

        var exception = context.Features.Get<IForwarderErrorFeature>()?.Exception;
        var failure = FailureOf(error, exception, context);
        if (failure == CallFailure.NotSent)
        {
            context.Features.Set<IForwarderErrorFeature?>(null);
            context.Response.Clear(); // nothing was sent: the next replica answers afresh
        }

        return Attempt.Failed(failure, $"{error}: {exception?.Message}", failure == CallFailure.ClientBody ? context.Response.StatusCode : 0);
    }

    /// <summary>YARP's errors as <see cref="CallFailure"/>s: whose fault each was.</summary>
    private static CallFailure FailureOf(ForwarderError error, Exception? exception, HttpContext context)
    {
        var callerGone = context.RequestAborted.IsCancellationRequested;
        return error switch
        {
            _ when callerGone => CallFailure.ClientGone,
            ForwarderError.Request when !context.Response.HasStarted && CallFailures.NothingSent(exception) => CallFailure.NotSent,
            ForwarderError.Request => CallFailure.Broke,
            ForwarderError.RequestTimedOut => CallFailure.TimedOut,
            ForwarderError.RequestCanceled => CallFailure.ClientGone,
            ForwarderError.RequestBodyClient or ForwarderError.RequestBodyCanceled => CallFailure.ClientBody,
            ForwarderError.RequestBodyDestination => CallFailure.BodyNotTaken,
            ForwarderError.ResponseBodyClient or ForwarderError.UpgradeRequestClient or ForwarderError.UpgradeResponseClient
                or ForwarderError.UpgradeRequestCanceled or ForwarderError.UpgradeResponseCanceled => CallFailure.ClientGone,
            _ => CallFailure.AnswerCut, // the answer broke or could not be passed on after the runtime answered
        };
    }

    /// <summary>
    /// A function call: the same choice of replica, retry and failure answers as <see cref="ForwardAsync"/>, sent without
    /// YARP (a function call needs no upgrade, trailer or transform handling). A body of at most
    /// <see cref="FunctionCall.ResendableBodyBytes"/> with a length is read first and goes over the call protocol
    /// (sent from memory it costs the gateway less, and a call a runtime turned away unrun can go to another replica); a
    /// larger or chunked body is streamed over HTTP/1.1 to one replica.
    /// </summary>
    public async Task CallAsync(HttpContext context, ReplicaSet replicas, string plugin, string function)
    {
        var started = Stopwatch.GetTimestamp();
        var span = GatewayTracing.StartCall(context.Request, replicas.Deployment, plugin, function); // null with tracing off
        try
        {
            await CallReplicaAsync(context, replicas, plugin, function);
        }
        finally
        {
            if (span is not null)
            {
                GatewayTracing.EndCall(span, context.Response);
            }
        }

        metrics.Answered(replicas.Deployment, GatewayMetrics.Function, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
    }

    private async ValueTask CallReplicaAsync(HttpContext context, ReplicaSet replicas, string plugin, string function)
    {
        if (LimitBody(context) is { } tooLarge)
        {
            await tooLarge.ExecuteAsync(context);
            return;
        }

        using var deadline = loop.Deadline(context.RequestAborted);
        FunctionCall.ResendableBody? resendable;
        try
        {
            resendable = await FunctionCall.ReadResendableAsync(context, deadline.Token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            if (!context.RequestAborted.IsCancellationRequested)
            {
                var fault = new ClientBodyException(e); // 408 when the deadline passed first
                await CallerBodyProblem(fault.StatusCode, fault.Message).ExecuteAsync(context);
            }

            return;
        }

        using var _ = resendable;
        var outcome = await loop.SendAsync(replicas, canResend: resendable is not null, new FunctionAttempt(context, plugin, function, resendable, client),
            static (destination, call, deadline) => SendOnceAsync(destination, call, deadline), deadline);
        if (outcome.NoReplica)
        {
            context.Response.Headers.Remove(WaferHeaders.Runtime);
            await GatewayProblems.NoReplica(replicas.Deployment).ExecuteAsync(context);
            return;
        }

        var destination = outcome.Destination!;
        var attempt = outcome.Attempt;
        switch (attempt.Failure)
        {
            case CallFailure.None:
                using (var answer = attempt.Answer)
                {
                    await PassOnAsync(context, destination, answer, deadline);
                }

                return;
            case CallFailure.ClientGone:
                return;
            case CallFailure.ClientBody:
                await CallerBodyProblem(attempt.ClientStatus, attempt.Reason).ExecuteAsync(context);
                return;
            default:
                await UnreachableAsync(context, replicas.Deployment, destination, attempt);
                return;
        }
    }

    private static async ValueTask<Attempt> SendOnceAsync(Destination destination, FunctionAttempt call, CallDeadline deadline)
    {
        // A caller's Authorization or X-Time-Zone reaches the runtime only as HTTP headers (CallerContext).
        var framed = call.Body is not null && !CallerContext.Carries(call.Context.Request);
        var span = GatewayTracing.StartSend(destination, framed && destination.CallPrefix is not null ? GatewayTracing.CallProtocol : GatewayTracing.Http);
        if (span is null)
        {
            return await SendOnceAsync(destination, call, framed, null, deadline);
        }

        try
        {
            var attempt = await SendOnceAsync(destination, call, framed, span, deadline);
            GatewayTracing.EndSend(span, attempt.Answer.Status, null);
            return attempt;
        }
        catch (Exception e)
        {
            GatewayTracing.EndSend(span, 0, e.Message);
            throw;
        }
    }

    private static async ValueTask<Attempt> SendOnceAsync(Destination destination, FunctionAttempt call, bool framed, Activity? span, CallDeadline deadline)
    {
        if (framed && await call.Client.CallAsync(destination, call.Plugin, call.Function, call.Body!.Memory, deadline.Token) is { } whole)
        {
            return Attempt.Answered(RuntimeAnswer.Of(whole));
        }

        var request = FunctionCall.Request(call.Context, destination.Prefix, call.Body);
        if (span is not null)
        {
            TraceParent.Inject(request, span); // in place of the caller's: the runtime's span is this attempt's child
        }

        try
        {
            return Attempt.Answered(RuntimeAnswer.Of(request, await call.Client.SendAsync(request, deadline.Token)));
        }
        catch (Exception e) when (request.Content is FunctionCall.BodyContent { Fault: { } fault } && fault != e)
        {
            request.Dispose();
            throw new HttpRequestException(e.Message, fault); // whose fault it was, whatever the client made of it
        }
        catch
        {
            request.Dispose();
            throw;
        }
    }

    /// <summary>The runtime's answer onto the caller's response: whole, or its head and then its body as it streams.</summary>
    private async Task PassOnAsync(HttpContext context, Destination destination, RuntimeAnswer answer, CallDeadline deadline)
    {
        if (answer.Whole is { } whole)
        {
            await FunctionCall.WriteAnswerAsync(whole, destination.RuntimeName, context);
            return;
        }

        FunctionCall.CopyHead(answer.Response!, context.Response);
        context.Response.Headers[WaferHeaders.Runtime] = destination.RuntimeName;
        if (await FunctionCall.CopyBodyAsync(answer.Response!, context, deadline.Token) is { } cut)
        {
            AnswerCut(logger, destination.RuntimeName, destination.Prefix, cut.Message);
            context.Abort(); // the head is out: the caller sees the answer cut short
        }
    }

    /// <summary>
    /// Refuses a body over <see cref="GatewayOptions.MaxRequestBytes"/> by its declared length, and holds a body of no
    /// declared length to it as it is read (Kestrel then fails the read with 413).
    /// </summary>
    private IResult? LimitBody(HttpContext context)
    {
        if (context.Request.ContentLength > _maxRequestBytes)
        {
            return Problems.TooLarge(_maxRequestBytes);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = _maxRequestBytes;
        }

        return null;
    }

    private IResult CallerBodyProblem(int status, string? reason) => status == StatusCodes.Status413PayloadTooLarge
        ? Problems.TooLarge(_maxRequestBytes)
        : GatewayProblems.UnreadableBody(status, reason ?? "the request body could not be read");

    private static Task UnreachableAsync(HttpContext context, string deployment, Destination destination, Attempt attempt)
    {
        context.Response.Headers[WaferHeaders.Runtime] = destination.RuntimeName;
        var timedOut = attempt.Failure == CallFailure.TimedOut;
        return GatewayProblems.Unreachable(deployment, destination.RuntimeName, $"{attempt.Failure}: {attempt.Reason}", timedOut).ExecuteAsync(context);
    }

    /// <summary>What one attempt of a function call needs (passed by value, so the loop's delegate captures nothing).</summary>
    private readonly record struct FunctionAttempt(HttpContext Context, string Plugin, string Function, FunctionCall.ResendableBody? Body, RuntimeClient Client);

    [LoggerMessage(EventId = 6016, EventName = "GatewayAnswerCut", Level = LogLevel.Warning,
        Message = "The answer of runtime {Runtime} ({Url}) broke after its head ({Reason}); the caller's response is cut short, the runtime is not put aside")]
    private static partial void AnswerCut(ILogger logger, string runtime, string url, string reason);
}
