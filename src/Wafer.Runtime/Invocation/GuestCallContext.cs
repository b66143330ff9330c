using Wafer.Runtime.Catalog;
using Wafer.Runtime.Logs;
using Wafer.Wasm;

namespace Wafer.Runtime.Invocation;

/// <summary>What host imports of one call need to know: who is calling, and where its log lines go.</summary>
internal sealed class GuestCallContext(GuestLogSink logs, string callId, RegisteredFunction function) : IGuestCallContext
{
    public string CallId => callId;

    public void Log(GuestLogLevel level, string message) =>
        logs.Write(new GuestLogEntry(DateTimeOffset.UtcNow, callId, function.Plugin.Name, function.Name, level, message));
}
