using Wafer.Protocol.Calls;
using Wafer.Runtime.Capabilities;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Logs;
using Wafer.Wasm;

namespace Wafer.Runtime.Invocation;

/// <summary>
/// What host imports of one call need to know: who is calling, where its log lines go (its <see cref="CallLog"/>,
/// started at the first line), and its capabilities.
/// </summary>
internal sealed class GuestCallContext(
    GuestLogSink logs, CapabilityDispatcher capabilities, string callId, RegisteredFunction function, long startedTimestamp) : IGuestCallContext
{
    private CapabilityCall? _capabilityCall;
    private CallLog? _log;

    public string CallId => callId;

    public bool AcceptsLog => _log?.AcceptsMore ?? true;

    /// <summary>The call as host capabilities see it (created on first use).</summary>
    public CapabilityCall Capabilities => _capabilityCall ??= new CapabilityCall(function, callId, startedTimestamp);

    public CapabilityDispatcher Dispatcher => capabilities;

    public HostCallResult HostCall(string operation, ReadOnlySpan<byte> requestJson) =>
        capabilities.Dispatch(Capabilities, operation, requestJson);

    public void Log(GuestLogLevel level, string message) => CallLog().Write(level, message);

    public void LogDropped(long bytes) => CallLog().Dropped(bytes);

    /// <summary>Ends the call's log: what was dropped, then the failure with its cause when the call failed.</summary>
    public void Finish(in CallOutcome outcome)
    {
        _log?.Complete();
        if (!outcome.Succeeded)
        {
            logs.WriteFailure(callId, function.Plugin.Name, function.Name, outcome.Cause, outcome.Message ?? "");
        }
    }

    private CallLog CallLog() => _log ??= logs.Begin(callId, function.Plugin.Name, function.Name);
}
