using Wafer.Runtime.Capabilities;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Logs;
using Wafer.Wasm;

namespace Wafer.Runtime.Invocation;

/// <summary>What host imports of one call need to know: who is calling, where its log lines go, and its capabilities.</summary>
internal sealed class GuestCallContext(
    GuestLogSink logs, CapabilityDispatcher capabilities, string callId, RegisteredFunction function, long startedTimestamp) : IGuestCallContext
{
    private CapabilityCall? _capabilityCall;

    public string CallId => callId;

    /// <summary>The call as host capabilities see it (created on first use).</summary>
    public CapabilityCall Capabilities => _capabilityCall ??= new CapabilityCall(function, callId, startedTimestamp);

    public CapabilityDispatcher Dispatcher => capabilities;

    public HostCallResult HostCall(string operation, ReadOnlySpan<byte> requestJson) =>
        capabilities.Dispatch(Capabilities, operation, requestJson);

    public void Log(GuestLogLevel level, string message) =>
        logs.Write(new GuestLogEntry(DateTimeOffset.UtcNow, callId, function.Plugin.Name, function.Name, level, message));
}
