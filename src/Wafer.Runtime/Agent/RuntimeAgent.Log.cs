using Microsoft.Extensions.Logging;

namespace Wafer.Runtime.Agent;

/// <summary>The agent's log events (2700-2719).</summary>
public sealed partial class RuntimeAgent
{
    [LoggerMessage(EventId = 2700, EventName = "AgentStarted", Level = LogLevel.Information,
        Message = "Runtime {RuntimeId} ({Name}) serving on {Url} joins the fleet through {Broker}")]
    private static partial void AgentStarted(ILogger logger, string runtimeId, string name, string url, string broker);

    [LoggerMessage(EventId = 2701, EventName = "BrokerConnected", Level = LogLevel.Information,
        Message = "Connected to {Broker} after {Failures} failed attempts; announced")]
    private static partial void Connected(ILogger logger, string broker, int failures);

    [LoggerMessage(EventId = 2702, EventName = "BrokerConnectFailed", Level = LogLevel.Warning,
        Message = "Cannot reach the broker {Broker}: {Reason}. Retrying with backoff; still serving")]
    private static partial void ConnectFailed(ILogger logger, string broker, string reason);

    [LoggerMessage(EventId = 2703, EventName = "BrokerConnectionLost", Level = LogLevel.Warning,
        Message = "Lost the connection to {Broker}; reconnecting with backoff, still serving")]
    private static partial void ConnectionLost(ILogger logger, string broker);

    [LoggerMessage(EventId = 2704, EventName = "MessageRefused", Level = LogLevel.Warning,
        Message = "Refused a message on {Topic}: {Reason}")]
    private static partial void MessageRefused(ILogger logger, string topic, string reason);

    [LoggerMessage(EventId = 2705, EventName = "MessageDropped", Level = LogLevel.Warning,
        Message = "Dropped a message on {Topic}: more than 1024 messages are waiting")]
    private static partial void MessageDropped(ILogger logger, string topic);

    [LoggerMessage(EventId = 2706, EventName = "CommandFailed", Level = LogLevel.Error,
        Message = "Handling a message on {Topic} failed")]
    private static partial void CommandFailed(ILogger logger, string topic, Exception exception);

    [LoggerMessage(EventId = 2707, EventName = "PublishFailed", Level = LogLevel.Debug,
        Message = "Could not publish {Type} on {Topic}: {Reason}")]
    private static partial void PublishFailed(ILogger logger, string type, string topic, string reason);

    [LoggerMessage(EventId = 2708, EventName = "OrchestratorOnline", Level = LogLevel.Information,
        Message = "The orchestrator at {Url} is online; announced again")]
    private static partial void OrchestratorOnline(ILogger logger, string url);

    [LoggerMessage(EventId = 2709, EventName = "Draining", Level = LogLevel.Information,
        Message = "Draining: accepting no new modules, still serving the ones here")]
    private static partial void Draining(ILogger logger);

    [LoggerMessage(EventId = 2710, EventName = "ShutdownCommanded", Level = LogLevel.Information,
        Message = "The orchestrator allowed this runtime to stop ({Reason}); stopping")]
    private static partial void ShuttingDown(ILogger logger, string reason);

    [LoggerMessage(EventId = 2711, EventName = "WentOffline", Level = LogLevel.Information,
        Message = "Left the fleet: published offline and disconnected")]
    private static partial void WentOffline(ILogger logger);

    [LoggerMessage(EventId = 2712, EventName = "FatalError", Level = LogLevel.Critical,
        Message = "Fatal: {Reason}; reporting it to the orchestrator before going down")]
    private static partial void FatalError(ILogger logger, string reason);

    [LoggerMessage(EventId = 2713, EventName = "FatalNotReported", Level = LogLevel.Error,
        Message = "Could not report the fatal error to the broker; the last will marks this runtime offline")]
    private static partial void FatalNotReported(ILogger logger);

    [LoggerMessage(EventId = 2714, EventName = "WarmedUp", Level = LogLevel.Debug,
        Message = "Warmed up the HTTP client and server in {Milliseconds:0} ms")]
    private static partial void WarmedUp(ILogger logger, double milliseconds);

    [LoggerMessage(EventId = 2719, EventName = "WarmUpIncomplete", Level = LogLevel.Debug,
        Message = "A warm-up request to this runtime's own server failed; the first calls compile what it did not reach")]
    private static partial void WarmUpIncomplete(ILogger logger);

    [LoggerMessage(EventId = 2715, EventName = "BrokerCredentialsRefused", Level = LogLevel.Error,
        Message = "The broker {Broker} refused this runtime ({Reason}); retrying with backoff, still serving. To join: {Fix}")]
    private static partial void CredentialsRefused(ILogger logger, string broker, string reason, string fix);

    [LoggerMessage(EventId = 2716, EventName = "FleetTokenMissing", Level = LogLevel.Error,
        Message = "The orchestrator at {Url} accepts only messages signed with the fleet token and this runtime has none, so it refuses what this runtime sends. Start the runtime with --token (or WAFER_TOKEN) set to the fleet's token")]
    private static partial void FleetTokenMissing(ILogger logger, string url);

    [LoggerMessage(EventId = 2717, EventName = "ProgramRestored", Level = LogLevel.Information,
        Message = "Program module {ModuleId} runs again after this runtime's restart (restart policy {Restart})")]
    private static partial void ProgramRestored(ILogger logger, string moduleId, string restart);

    [LoggerMessage(EventId = 2718, EventName = "ProgramLost", Level = LogLevel.Warning,
        Message = "Program module {ModuleId} was running when this runtime stopped; its restart policy is never, so it is reported lost")]
    private static partial void ProgramLost(ILogger logger, string moduleId);
}
