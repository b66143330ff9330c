using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Gateway.Health;
using Wafer.Gateway.Hosting;
using Wafer.Gateway.Routes;

namespace Wafer.Gateway.Forwarding;

/// <summary>
/// The one loop over a deployment's replicas that every request kind goes through (function calls, GraphQL fields,
/// handler routes): pick a healthy replica, send, judge the attempt (<see cref="CallFailure"/>), and retry only what
/// cannot have run. Passive health is decided here and nowhere else: a fault of the runtime's
/// (<see cref="CallFailures.PutsAside"/>) puts it aside for <see cref="GatewayOptions.PutAsideFor"/>; a caller's
/// fault never does. An answer is progress (<see cref="Destination.Answered"/>), which the <see cref="HealthMonitor"/>
/// watches for hung runtimes.
/// </summary>
internal sealed partial class ReplicaLoop(IOptions<GatewayOptions> options, TimeProvider time, GatewayMetrics metrics, ILogger<ReplicaLoop> logger)
{
    private readonly long _putAsideFor = options.Value.PutAsideFor.Ms();

    /// <summary>A deadline for one request: <see cref="GatewayOptions.CallTimeout"/>, or the caller going away.</summary>
    internal CallDeadline Deadline(CancellationToken aborted) => new(options.Value.CallTimeout, time, aborted);

    /// <summary>
    /// Sends through <paramref name="attempt"/> to one replica after another until one answers or fails by more than a
    /// refused connection. Nothing sent (<see cref="CallFailure.NotSent"/>): the next healthy replica not tried yet. An
    /// answer of a replica that turned the call away unrun (<see cref="RuntimeAnswer.NotRunThere"/>: by its cause, by
    /// its HTTP status where it has none), when <paramref name="canResend"/>: the next one too, its answer disposed.
    /// Exceptions a transport throws are judged by <see cref="CallFailures.Classify"/>.
    /// </summary>
    internal async ValueTask<ReplicaOutcome> SendAsync<TState>(
        ReplicaSet replicas, bool canResend, TState state, Func<Destination, TState, CallDeadline, ValueTask<Attempt>> attempt, CallDeadline deadline)
    {
        List<Destination>? tried = null; // made only for a second attempt: nearly every call has one
        var destination = replicas.Pick(time.NowMs());
        var first = destination;
        while (destination is not null)
        {
            if (destination != first)
            {
                (tried ??= [first!]).Add(destination);
            }

            Attempt result;
            using (destination.BeginCall(time.NowMs()))
            {
                try
                {
                    result = await attempt(destination, state, deadline);
                }
                catch (Exception e) when (CallFailures.IsTransport(e))
                {
                    var (failure, clientStatus, reason) = CallFailures.Classify(e, deadline);
                    result = Attempt.Failed(failure, reason, clientStatus);
                }
            }

            var now = time.NowMs();
            if (result.Failure == CallFailure.None)
            {
                if (destination.Answered(now))
                {
                    Resumed(logger, destination.RuntimeName, destination.Prefix);
                }

                if (canResend && result.Answer.NotRunThere && replicas.Pick(now, tried ?? [first!]) is { } next)
                {
                    result.Answer.Dispose();
                    TurnedAway(logger, destination.RuntimeName, replicas.Deployment, result.Answer.Status, next.RuntimeName);
                    metrics.Retried(replicas.Deployment, refused: false);
                    destination = next;
                    continue;
                }

                return new ReplicaOutcome(destination, result);
            }

            if (result.Failure.PutsAside())
            {
                destination.PutAside(now + _putAsideFor);
            }

            if (result.Failure == CallFailure.NotSent)
            {
                NotSent(logger, destination.RuntimeName, destination.Prefix, replicas.Deployment, result.Reason);
                metrics.Retried(replicas.Deployment, refused: true);
                destination = replicas.Pick(now, tried ?? [first!]);
                continue;
            }

            if (result.Failure.IsCallers())
            {
                CallerFault(logger, destination.RuntimeName, replicas.Deployment, result.Failure, result.Reason);
            }
            else
            {
                Failed(logger, destination.RuntimeName, destination.Prefix, replicas.Deployment, result.Failure, result.Reason,
                    result.Failure.PutsAside() ? "put aside" : "not put aside");
            }

            return new ReplicaOutcome(destination, result);
        }

        return default;
    }

    [LoggerMessage(EventId = 6010, EventName = "GatewayCallNotSent", Level = LogLevel.Warning,
        Message = "Runtime {Runtime} ({Url}) took no call for {Deployment} ({Reason}); put aside, trying another replica")]
    private static partial void NotSent(ILogger logger, string runtime, string url, string deployment, string? reason);

    [LoggerMessage(EventId = 6011, EventName = "GatewayForwardFailed", Level = LogLevel.Warning,
        Message = "Runtime {Runtime} ({Url}) failed a request for {Deployment}: {Failure}: {Reason}; {Verdict}, not retried")]
    private static partial void Failed(ILogger logger, string runtime, string url, string deployment, CallFailure failure, string? reason, string verdict);

    [LoggerMessage(EventId = 6013, EventName = "GatewayCallTurnedAway", Level = LogLevel.Debug,
        Message = "Runtime {Runtime} answered {Status} for {Deployment} without running the call (its replica moved); sent to {Next}")]
    private static partial void TurnedAway(ILogger logger, string runtime, string deployment, int status, string next);

    [LoggerMessage(EventId = 6015, EventName = "GatewayCallerFault", Level = LogLevel.Debug,
        Message = "A request for {Deployment} on runtime {Runtime} ended by the caller's doing ({Failure}: {Reason}); the runtime is not put aside")]
    private static partial void CallerFault(ILogger logger, string runtime, string deployment, CallFailure failure, string? reason);

    [LoggerMessage(EventId = 6034, EventName = "GatewayRuntimeAnswersAgain", Level = LogLevel.Information,
        Message = "Runtime {Runtime} ({Url}) answered again; calls go to it again")]
    private static partial void Resumed(ILogger logger, string runtime, string url);
}

/// <summary>Where a request ended up: the replica that answered or failed it (null: no healthy replica took it), and how.</summary>
internal readonly record struct ReplicaOutcome(Destination? Destination, Attempt Attempt)
{
    public bool NoReplica => Destination is null;
}
