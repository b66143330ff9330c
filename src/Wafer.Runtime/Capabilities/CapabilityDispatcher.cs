using System.Collections.Frozen;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Wafer.Runtime.Capabilities.Secrets;
using Wafer.Wasm;

namespace Wafer.Runtime.Capabilities;

/// <summary>
/// Routes a guest's <c>wafer.host_call</c> to the capability serving the operation, turns every failure into
/// error text for the guest, and scrubs the secrets used by the call from whatever goes back.
/// </summary>
public sealed partial class CapabilityDispatcher
{
    /// <summary>Largest request a guest may pass (an http.fetch body of 10 MiB is about 13.4 MiB as base64).</summary>
    public const int MaxRequestBytes = 16 * 1024 * 1024;

    private readonly FrozenDictionary<string, IHostCapability> _byOperation;
    private readonly string _known;
    private readonly ILogger<CapabilityDispatcher> _logger;

    public CapabilityDispatcher(IEnumerable<IHostCapability> capabilities, ILogger<CapabilityDispatcher> logger)
    {
        _logger = logger;
        _byOperation = capabilities
            .SelectMany(c => c.Operations.Select(o => KeyValuePair.Create(o, c)))
            .ToFrozenDictionary(StringComparer.Ordinal);
        _known = string.Join(", ", _byOperation.Keys.Order(StringComparer.Ordinal));
    }

    public IEnumerable<string> Operations => _byOperation.Keys;

    public HostCallResult Dispatch(CapabilityCall call, string operation, ReadOnlySpan<byte> request)
    {
        if (!_byOperation.TryGetValue(operation, out var capability))
        {
            return Fail(call, operation, $"unknown host operation '{Printable(operation)}'; the host offers {_known}");
        }

        if (request.Length > MaxRequestBytes)
        {
            return Fail(call, operation, $"{operation}: the request is {request.Length} bytes; the limit is {MaxRequestBytes}");
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(request);
            document = JsonDocument.ParseValue(ref reader);
            if (reader.Read())
            {
                document.Dispose();
                return Fail(call, operation, $"{operation}: the request holds more than one JSON value");
            }
        }
        catch (JsonException ex)
        {
            return Fail(call, operation, $"{operation}: the request is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Fail(call, operation, $"{operation}: the request must be a JSON object");
            }

            var started = Stopwatch.GetTimestamp();
            using var span = CapabilityTracing.StartOperation(operation, call); // null with tracing off
            try
            {
                var response = capability.Invoke(operation, document.RootElement, call);
                if (call.Secrets.Count > 0)
                {
                    response = SecretScrubber.Scrub(response, call.Secrets);
                }

                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    HostCallDone(_logger, operation, call.Plugin.Name, call.Function.Name, call.CallId, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }

                return HostCallResult.Success(response);
            }
            catch (CapabilityException ex)
            {
                var failure = Fail(call, operation, ex.Message);
                CapabilityTracing.Failed(span, SecretScrubber.Scrub(ex.Message, call.Secrets));
                return failure;
            }
            catch (Exception ex)
            {
                var message = SecretScrubber.Scrub(ex.Message, call.Secrets);
                CapabilityTracing.Failed(span, $"{operation}: the host failed: {message}");
                HostCallCrashed(_logger, operation, call.Plugin.Name, call.Function.Name, call.CallId, ex.GetType().Name, message);
                return HostCallResult.Failure($"{operation}: the host failed: {message}");
            }
        }
    }

    private HostCallResult Fail(CapabilityCall call, string operation, string message)
    {
        message = SecretScrubber.Scrub(message, call.Secrets);
        HostCallFailed(_logger, Printable(operation), call.Plugin.Name, call.Function.Name, call.CallId, message);
        return HostCallResult.Failure(message);
    }

    private static string Printable(string operation) =>
        operation.Length <= 64 && !operation.Any(char.IsControl) ? operation : "(unprintable)";

    [LoggerMessage(EventId = 2500, EventName = "HostCallDone", Level = LogLevel.Debug,
        Message = "{Operation} for {Plugin}/{Function} {CallId} took {Milliseconds:F1} ms")]
    private static partial void HostCallDone(ILogger logger, string operation, string plugin, string function, string callId, double milliseconds);

    [LoggerMessage(EventId = 2501, EventName = "HostCallFailed", Level = LogLevel.Information,
        Message = "{Operation} for {Plugin}/{Function} {CallId} failed: {Reason}")]
    private static partial void HostCallFailed(ILogger logger, string operation, string plugin, string function, string callId, string reason);

    [LoggerMessage(EventId = 2502, EventName = "HostCallCrashed", Level = LogLevel.Error,
        Message = "{Operation} for {Plugin}/{Function} {CallId} failed in the host with {ExceptionType}: {Reason}")]
    private static partial void HostCallCrashed(ILogger logger, string operation, string plugin, string function, string callId, string exceptionType, string reason);
}
