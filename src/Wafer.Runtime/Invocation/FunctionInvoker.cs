using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Wafer.Protocol.Calls;
using Wafer.Runtime.Capabilities;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Logs;
using Wafer.Runtime.Modus.Auth;
using Wafer.Runtime.Telemetry;
using Wafer.Wasm;

namespace Wafer.Runtime.Invocation;

/// <summary>
/// Runs one call of a function on the plugin version it was resolved to, holding a lease so a reload cannot
/// dispose the version mid-call, and checks the guest's result against the declared type.
/// </summary>
internal sealed partial class FunctionInvoker(
    GuestLogSink logs, CapabilityDispatcher capabilities, CallCounters counters, RuntimeMetrics metrics, ILogger<FunctionInvoker> logger,
    ModusAuthorization? modusAuthorization = null)
{
    private static readonly byte[] JsonNull = "null"u8.ToArray();

    /// <summary>
    /// Calls <paramref name="function"/> with the positional argument array. Returns null when that plugin version
    /// was retired before the call could start: resolve the function again and retry.
    /// </summary>
    /// <param name="parent">The caller's trace context when it came over the wire (the call protocol, HTTP); default: the current span.</param>
    public CallOutcome? TryInvoke(RegisteredFunction function, ReadOnlySpan<byte> argumentsJson, in ActivityContext parent = default)
    {
        var plugin = function.Plugin;
        if (!plugin.TryAcquire())
        {
            return null;
        }

        var callId = CallIds.Next();
        if (plugin.Modus is { } app && modusAuthorization?.Deny(app) is { } denied)
        {
            plugin.Release();
            return new CallOutcome(callId, CallStatus.Unauthorized, null, denied, TimeSpan.Zero);
        }

        var span = RuntimeTracing.StartCall(function, callId, parent); // null with tracing off
        var started = Stopwatch.GetTimestamp();
        CallOutcome result;
        var context = new GuestCallContext(logs, capabilities, callId, function, started);
        counters.Started();
        try
        {
            result = plugin.Module.Invoke(function.Metadata.Index, argumentsJson, context);
        }
        finally
        {
            counters.Finished();
            plugin.Release();
        }

        var outcome = Checked(function, result) with { CallId = callId, Duration = Stopwatch.GetElapsedTime(started) };
        if (span is not null)
        {
            RuntimeTracing.EndCall(span, outcome);
        }

        metrics.CallFinished(plugin.Name, function.Name, outcome);
        context.Finish(outcome);
        if (!outcome.Succeeded)
        {
            CallFailed(logger, callId, plugin.Name, function.Name, outcome.Cause, outcome.Message ?? "");
        }

        return outcome;
    }

    /// <summary>The engine's outcome as the call answers it: a failure's message without its bytes, a result checked against its type.</summary>
    private CallOutcome Checked(RegisteredFunction function, CallOutcome result)
    {
        var status = result.Status; // the engine's value is the call's, guest failures only
        if (status != CallStatus.Ok)
        {
            var message = result.Message ?? (result.ResultJson is { } bytes ? GuestText.Utf8(bytes, logs.Limits.ErrorMessageBytes) : null);
            return new CallOutcome(status, null, message);
        }

        var output = result.ResultJson ?? JsonNull;
        var error = CheckResult(output, function);
        return error is null
            ? result with { ResultJson = output }
            : new CallOutcome(CallStatus.BadResult, null, GuestText.Cut(error, logs.Limits.ErrorMessageBytes)); // may quote the guest's JSON
    }

    private static string? CheckResult(byte[] output, RegisteredFunction function)
    {
        if (ScalarChecker.IsValid(output, function.Metadata.Result))
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(output);
            using var document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                return "the guest's result holds more than one JSON value";
            }

            return ValueChecker.Check(document.RootElement, function.Metadata.Result, function.Plugin.Metadata, "result");
        }
        catch (JsonException ex)
        {
            return $"the guest's result is not valid JSON: {ex.Message}";
        }
    }

    [LoggerMessage(EventId = 2000, EventName = "CallFailed", Level = LogLevel.Warning,
        Message = "Call {CallId} to {Plugin}/{Function} failed: {Cause}: {Reason}")]
    private static partial void CallFailed(ILogger logger, string callId, string plugin, string function, string cause, string reason);
}
