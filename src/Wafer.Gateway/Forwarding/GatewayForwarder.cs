using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Wafer.Gateway.Health;
using Wafer.Gateway.Http;
using Wafer.Gateway.Routes;
using Wafer.Runtime.Http;
using Yarp.ReverseProxy.Forwarder;

namespace Wafer.Gateway.Forwarding;

/// <summary>
/// Sends a request to one replica: a function call over the runtime connection pool (<see cref="CallAsync"/>), a
/// handler route through YARP's forwarder (<see cref="ForwardAsync"/>). A refused connection puts that runtime aside
/// and the request goes to the next healthy replica (nothing was sent); any other transport failure puts it aside
/// too but is answered 502 (504 on a timeout), since the call may have run.
/// </summary>
public sealed partial class GatewayForwarder(IHttpForwarder forwarder, RuntimeClient client, GatewayMetrics metrics, ILogger<GatewayForwarder> logger)
{
    /// <summary>How long a runtime that failed a request is skipped (unless the orchestrator says more first).</summary>
    public static readonly TimeSpan PutAsideFor = TimeSpan.FromSeconds(5);

    /// <summary>The response header naming the runtime that answered.</summary>
    public const string RuntimeHeader = "X-Wafer-Runtime";

    private static readonly ForwarderRequestConfig RequestConfig = new()
    {
        ActivityTimeout = TimeSpan.FromMinutes(2),
        Version = HttpVersion.Version11,
        VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
    };

    public async Task ForwardAsync(HttpContext context, ReplicaSet replicas)
    {
        var started = Stopwatch.GetTimestamp();
        await ForwardToReplicaAsync(context, replicas);
        metrics.Answered(replicas.Deployment, GatewayMetrics.Handler, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
    }

    private async Task ForwardToReplicaAsync(HttpContext context, ReplicaSet replicas)
    {
        for (var attempt = 0; attempt < Math.Max(1, replicas.Destinations.Count); attempt++)
        {
            var destination = replicas.Pick();
            if (destination is null)
            {
                break;
            }

            context.Response.Headers[RuntimeHeader] = destination.RuntimeName;
            var error = await forwarder.SendAsync(context, destination.Prefix, client.Invoker, RequestConfig, HttpTransformer.Default);
            if (error == ForwarderError.None)
            {
                return;
            }

            var failure = context.Features.Get<IForwarderErrorFeature>()?.Exception;
            if (error is ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient)
            {
                return; // the client went away; not the runtime's fault
            }

            destination.PutAside(PutAsideFor);
            if (error == ForwarderError.Request && ConnectionFailures.IsRefused(failure) && !context.Response.HasStarted)
            {
                Refused(logger, destination.RuntimeName, destination.Prefix, replicas.Deployment);
                metrics.Retried(replicas.Deployment, refused: true);
                context.Features.Set<IForwarderErrorFeature?>(null);
                context.Response.Clear();
                continue;
            }

            Failed(logger, destination.RuntimeName, destination.Prefix, replicas.Deployment, error, failure?.Message);
            if (!context.Response.HasStarted)
            {
                var timedOut = context.Response.StatusCode == StatusCodes.Status504GatewayTimeout;
                context.Response.Clear();
                context.Response.Headers[RuntimeHeader] = destination.RuntimeName;
                await GatewayProblems.Unreachable(replicas.Deployment, destination.RuntimeName, $"{error}: {failure?.Message}", timedOut).ExecuteAsync(context);
            }

            return;
        }

        context.Response.Headers.Remove(RuntimeHeader);
        await GatewayProblems.NoReplica(replicas.Deployment).ExecuteAsync(context);
    }

    /// <summary>
    /// A function call: the same choice of replica, retry and failure answers as <see cref="ForwardAsync"/>, sent
    /// straight over the runtime connection pool (<see cref="FunctionCall"/>). Handler routes keep YARP, which
    /// handles what web apps may need (upgrades, trailers, <c>X-Forwarded-*</c>). A small body is read first: sent
    /// from memory it costs the gateway less than streamed, and a call a runtime turned away unrun
    /// (<see cref="FunctionCall.NotRunThere"/>: the replica was just moved, stopped or updated) can go to another
    /// replica instead of failing.
    /// </summary>
    public async Task CallAsync(HttpContext context, ReplicaSet replicas, string plugin, string function)
    {
        var started = Stopwatch.GetTimestamp();
        await CallReplicaAsync(context, replicas, plugin, function);
        metrics.Answered(replicas.Deployment, GatewayMetrics.Function, context.Response.StatusCode, Stopwatch.GetElapsedTime(started));
    }

    private async Task CallReplicaAsync(HttpContext context, ReplicaSet replicas, string plugin, string function)
    {
        FunctionCall.ResendableBody? resendable;
        try
        {
            resendable = await FunctionCall.ReadResendableAsync(context);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            if (!context.RequestAborted.IsCancellationRequested)
            {
                await Problems.BadRequest($"the request body could not be read: {e.Message}", null).ExecuteAsync(context);
            }

            return;
        }

        using var _ = resendable;
        List<Destination>? tried = null;
        var destination = replicas.Pick();
        while (destination is not null)
        {
            (tried ??= new List<Destination>(replicas.Destinations.Count)).Add(destination);
            using var call = destination.BeginCall();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            timeout.CancelAfter(FunctionCall.Timeout);
            HttpRequestMessage? request = null;
            HttpResponseMessage? response = null;
            CallAnswer? answer = null;
            try
            {
                if (resendable is not null)
                {
                    answer = await client.CallAsync(destination, plugin, function, resendable.Memory, timeout.Token);
                }

                if (answer is null)
                {
                    (request, response) = await client.SendCallAsync(destination, call.H2c, (prefix, h2c) => FunctionCall.Request(context, prefix, h2c, resendable), timeout.Token);
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                if (context.RequestAborted.IsCancellationRequested)
                {
                    return; // the client went away; not the runtime's fault
                }

                destination.PutAside(PutAsideFor);
                if (ConnectionFailures.IsRefused(e))
                {
                    Refused(logger, destination.RuntimeName, destination.Prefix, replicas.Deployment);
                    metrics.Retried(replicas.Deployment, refused: true);
                    destination = replicas.Pick(tried);
                    continue;
                }

                var timedOut = e is OperationCanceledException;
                Failed(logger, destination.RuntimeName, destination.Prefix, replicas.Deployment, timedOut ? ForwarderError.RequestTimedOut : ForwarderError.Request, e.Message);
                context.Response.Headers[RuntimeHeader] = destination.RuntimeName;
                await GatewayProblems.Unreachable(replicas.Deployment, destination.RuntimeName, $"{(timedOut ? "RequestTimedOut" : "Request")}: {e.Message}", timedOut)
                    .ExecuteAsync(context);
                return;
            }

            var status = answer?.Status ?? (int)response!.StatusCode;
            if (resendable is not null && FunctionCall.NotRunThere((HttpStatusCode)status) && replicas.Pick(tried) is { } next)
            {
                request?.Dispose();
                response?.Dispose();
                TurnedAway(logger, destination.RuntimeName, replicas.Deployment, status, next.RuntimeName);
                metrics.Retried(replicas.Deployment, refused: false);
                destination = next;
                continue;
            }

            if (answer is not null)
            {
                await FunctionCall.WriteAnswerAsync(answer, destination.RuntimeName, context);
                return;
            }

            Debug.Assert(response is not null); // sent over HTTP
            using (request)
            using (response)
            {
                FunctionCall.CopyHead(response, context.Response);
                context.Response.Headers[RuntimeHeader] = destination.RuntimeName;
                if (await FunctionCall.CopyBodyAsync(response, context, timeout.Token) is { } failure)
                {
                    destination.PutAside(PutAsideFor);
                    Failed(logger, destination.RuntimeName, destination.Prefix, replicas.Deployment, ForwarderError.ResponseBodyDestination, failure.Message);
                    context.Abort(); // the head is out: the caller sees the answer cut short
                }
            }

            return;
        }

        context.Response.Headers.Remove(RuntimeHeader);
        await GatewayProblems.NoReplica(replicas.Deployment).ExecuteAsync(context);
    }

    [LoggerMessage(EventId = 6010, EventName = "GatewayConnectionRefused", Level = LogLevel.Warning,
        Message = "Runtime {Runtime} ({Url}) refused the connection for {Deployment}; put aside, trying another replica")]
    private static partial void Refused(ILogger logger, string runtime, string url, string deployment);

    [LoggerMessage(EventId = 6011, EventName = "GatewayForwardFailed", Level = LogLevel.Warning,
        Message = "Runtime {Runtime} ({Url}) failed a request for {Deployment}: {Error} {Reason}; put aside, not retried")]
    private static partial void Failed(ILogger logger, string runtime, string url, string deployment, ForwarderError error, string? reason);

    [LoggerMessage(EventId = 6013, EventName = "GatewayCallTurnedAway", Level = LogLevel.Debug,
        Message = "Runtime {Runtime} answered {Status} for {Deployment} without running the call (its replica moved); sent to {Next}")]
    private static partial void TurnedAway(ILogger logger, string runtime, string deployment, int status, string next);
}
