using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Wafer.Gateway.Forwarding;
using Wafer.Gateway.Health;
using Wafer.Gateway.Routes;
using Wafer.GraphQL;
using Wafer.Hosting.Http;
using Wafer.Protocol.Calls;

namespace Wafer.Gateway.GraphQL;

/// <summary>
/// Resolves a field of the gateway's schema on a replica: the positional arguments become a named JSON object sent as
/// a call of <c>{deployment}/{function}</c> (<see cref="RuntimeClient.CallWholeAsync"/>) through the
/// <see cref="ReplicaLoop"/> every request goes through (a call nothing of which was sent, or that a runtime turned away
/// unrun, goes to the next healthy replica), and the answer comes back as the call's outcome. A refusal by the runtime
/// becomes a <see cref="FunctionCallError"/> with the runtime's cause; the gateway's own failures have its causes
/// (<c>no_replica</c>, <c>bad_gateway</c>, <c>gateway_timeout</c>).
/// </summary>
internal sealed class ForwardingFunctionCaller(SchemaFunction function, ReplicaSet replicas, RuntimeClient client, ReplicaLoop loop, GatewayMetrics metrics) : IFunctionCaller
{
    public async ValueTask<CallOutcome?> CallAsync(ReadOnlyMemory<byte> argumentsJson, CancellationToken cancellationToken)
    {
        var body = Named(argumentsJson);
        var clock = Stopwatch.StartNew();
        using var deadline = loop.Deadline(cancellationToken);
        var outcome = await loop.SendAsync(replicas, canResend: true, (Caller: this, Body: body),
            static (destination, state, deadline) => state.Caller.SendOnceAsync(destination, state.Body, deadline), deadline);
        if (outcome.NoReplica)
        {
            metrics.Answered(replicas.Deployment, GatewayMetrics.GraphQLField, CallStatus.NoReplica.HttpStatus(), clock.Elapsed);
            throw Failed(CallStatus.NoReplica.Code(), $"no healthy runtime serves '{function.Plugin}' right now", null);
        }

        var attempt = outcome.Attempt;
        var runtime = outcome.Destination!.RuntimeName;
        switch (attempt.Failure)
        {
            case CallFailure.None:
                var answer = attempt.Answer.Whole!;
                metrics.Answered(replicas.Deployment, GatewayMetrics.GraphQLField, answer.Status, clock.Elapsed);
                return answer.Status is >= 200 and < 300
                    ? new CallOutcome(answer.CallId ?? "", CallStatus.Ok, ResultOf(answer.Body), null, clock.Elapsed)
                    : throw Refusal(answer);
            case CallFailure.ClientGone:
                throw new OperationCanceledException(cancellationToken);
            case CallFailure.TimedOut:
                metrics.Answered(replicas.Deployment, GatewayMetrics.GraphQLField, CallStatus.GatewayTimeout.HttpStatus(), clock.Elapsed);
                throw Failed(CallStatus.GatewayTimeout.Code(), $"runtime '{runtime}' did not answer in time: {attempt.Reason}", null);
            default:
                metrics.Answered(replicas.Deployment, GatewayMetrics.GraphQLField, CallStatus.BadGateway.HttpStatus(), clock.Elapsed);
                throw Failed(CallStatus.BadGateway.Code(), $"runtime '{runtime}' failed: {AddressText.Hide(attempt.Reason ?? "")}", null);
        }
    }

    private async ValueTask<Attempt> SendOnceAsync(Destination destination, byte[] body, CallDeadline deadline)
    {
        var caller = CallerContext.Current;
        var span = GatewayTracing.StartSend(destination, caller is null && destination.CallPrefix is not null ? GatewayTracing.CallProtocol : GatewayTracing.Http);
        try
        {
            var answer = await client.CallWholeAsync(destination, function.Plugin, function.Function.Name, body, deadline.Token, caller);
            GatewayTracing.EndSend(span, answer.Status, null);
            return Attempt.Answered(RuntimeAnswer.Of(answer));
        }
        catch (Exception e) when (span is not null)
        {
            GatewayTracing.EndSend(span, 0, e.Message);
            throw;
        }
    }

    /// <summary>The positional array as an object keyed by parameter name, the runtime's REST input.</summary>
    private byte[] Named(ReadOnlyMemory<byte> argumentsJson)
    {
        using var positional = JsonDocument.Parse(argumentsJson);
        var output = new ArrayBufferWriter<byte>(argumentsJson.Length + 64);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            var index = 0;
            foreach (var value in positional.RootElement.EnumerateArray())
            {
                writer.WritePropertyName(function.Function.Parameters[index++].Name);
                value.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        return output.WrittenSpan.ToArray();
    }

    private static byte[] ResultOf(byte[] answer)
    {
        using var document = JsonDocument.Parse(answer);
        return document.RootElement.TryGetProperty("result", out var result)
            ? JsonSerializer.SerializeToUtf8Bytes(result)
            : "null"u8.ToArray();
    }

    /// <summary>
    /// The runtime's problem details as a field error: its cause (the answer frame's, else the problem's), and its
    /// detail without the name prefix.
    /// </summary>
    private FunctionCallError Refusal(CallAnswer answer)
    {
        string cause = answer.Cause is { } known ? known.Code() : "http_" + answer.Status, detail = "";
        try
        {
            using var document = JsonDocument.Parse(answer.Body);
            var root = document.RootElement;
            if (answer.Cause is null && root.TryGetProperty("cause", out var c) && c.ValueKind == JsonValueKind.String)
            {
                cause = c.GetString()!;
            }

            if (root.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String)
            {
                detail = d.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        var prefix = $"{function.QualifiedName} failed: {cause}: ";
        return Failed(cause, detail.StartsWith(prefix, StringComparison.Ordinal) ? detail[prefix.Length..] : detail, answer.CallId);
    }

    private FunctionCallError Failed(string cause, string message, string? callId) =>
        new(function.Plugin, function.Function.Name, cause, message, callId);
}
