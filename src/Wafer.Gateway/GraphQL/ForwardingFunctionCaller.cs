using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Wafer.Gateway.Forwarding;
using Wafer.Gateway.Health;
using Wafer.Gateway.Routes;
using Wafer.Runtime.GraphQL;
using Wafer.Runtime.Http;
using Wafer.Runtime.Invocation;

namespace Wafer.Gateway.GraphQL;

/// <summary>
/// Resolves a field of the gateway's schema on a replica: the positional arguments become a named JSON object
/// sent as a call of <c>{deployment}/{function}</c> (<see cref="RuntimeClient.CallWholeAsync"/>), and the answer
/// comes back as the call's outcome. A refused connection, or a call the runtime turned away unrun
/// (<see cref="FunctionCall.NotRunThere"/>), goes to the next healthy replica; any other refusal by the runtime becomes
/// a <see cref="FunctionCallError"/> with the runtime's cause.
/// </summary>
internal sealed class ForwardingFunctionCaller(SchemaFunction function, ReplicaSet replicas, RuntimeClient client, GatewayMetrics metrics) : IFunctionCaller
{
    public async ValueTask<CallOutcome?> CallAsync(ReadOnlyMemory<byte> argumentsJson, CancellationToken cancellationToken)
    {
        var body = Named(argumentsJson);
        var tried = new List<Destination>(replicas.Destinations.Count);
        var destination = replicas.Pick() ?? throw Failed("no_replica", $"no healthy runtime serves '{function.Plugin}' right now", null);
        while (true)
        {
            tried.Add(destination);
            var clock = Stopwatch.StartNew();
            using var call = destination.BeginCall();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(FunctionCall.Timeout);
            CallAnswer answer;
            try
            {
                answer = await client.CallWholeAsync(destination, call.H2c, function.Plugin, function.Function.Name, body, timeout.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                destination.PutAside(GatewayForwarder.PutAsideFor);
                if (ConnectionFailures.IsRefused(ex))
                {
                    metrics.Retried(replicas.Deployment, refused: true);
                    destination = replicas.Pick(tried) ?? throw Failed("no_replica", $"no runtime serving '{function.Plugin}' accepted the connection", null);
                    continue;
                }

                throw Failed("bad_gateway", $"runtime '{destination.RuntimeName}' failed: {AddressText.Hide(ex.Message)}", null);
            }

            if (FunctionCall.NotRunThere((HttpStatusCode)answer.Status) && replicas.Pick(tried) is { } next)
            {
                metrics.Retried(replicas.Deployment, refused: false);
                destination = next; // turned away unrun: the replica just moved (see GatewayForwarder.CallAsync)
                continue;
            }

            metrics.Answered(replicas.Deployment, GatewayMetrics.GraphQLField, answer.Status, clock.Elapsed);
            return answer.Status is >= 200 and < 300
                ? new CallOutcome(answer.CallId ?? "", CallStatus.Ok, ResultOf(answer.Body), null, clock.Elapsed)
                : throw Refusal(answer.Body, answer.CallId, answer.Status);
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

    /// <summary>The runtime's problem details as a field error: its cause, and its detail without the name prefix.</summary>
    private FunctionCallError Refusal(byte[] problem, string? callId, int status)
    {
        string cause = "http_" + status, detail = "";
        try
        {
            using var document = JsonDocument.Parse(problem);
            var root = document.RootElement;
            if (root.TryGetProperty("cause", out var c) && c.ValueKind == JsonValueKind.String)
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
        return Failed(cause, detail.StartsWith(prefix, StringComparison.Ordinal) ? detail[prefix.Length..] : detail, callId);
    }

    private FunctionCallError Failed(string cause, string message, string? callId) =>
        new(function.Plugin, function.Function.Name, cause, message, callId);
}
