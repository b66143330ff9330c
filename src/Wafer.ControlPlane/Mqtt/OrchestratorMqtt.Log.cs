using Microsoft.Extensions.Logging;

namespace Wafer.ControlPlane.Mqtt;

// Log events of the orchestrator's MQTT side: band 5000-5099.
internal sealed partial class OrchestratorMqtt
{
    [LoggerMessage(EventId = 5000, EventName = "BrokerConnected", Level = LogLevel.Information, Message = "Connected to the MQTT broker {Broker} as {ClientId}")]
    private partial void LogConnected(string broker, string clientId);

    [LoggerMessage(EventId = 5001, EventName = "BrokerDisconnected", Level = LogLevel.Warning, Message = "Lost the MQTT broker {Broker}; reconnecting")]
    private partial void LogDisconnected(string broker);

    [LoggerMessage(EventId = 5002, EventName = "BrokerConnectFailed", Level = LogLevel.Warning,
        Message = "Cannot reach the MQTT broker {Broker}: {Reason}; retrying in {DelayMs}ms")]
    private partial void LogConnectFailed(string broker, string reason, double delayMs);

    [LoggerMessage(EventId = 5003, EventName = "MessageRefused", Level = LogLevel.Warning, Message = "Refused a message on {Topic}: {Reason}")]
    private partial void LogRefused(string topic, string reason);

    [LoggerMessage(EventId = 5004, EventName = "PublishFailed", Level = LogLevel.Warning, Message = "Publishing to {Topic} failed: {Reason}")]
    private partial void LogPublishFailed(string topic, string reason);

    [LoggerMessage(EventId = 5005, EventName = "EmptyMessage", Level = LogLevel.Debug, Message = "Ignored an empty message on {Topic} (a retained message cleared)")]
    private partial void LogEmptyMessage(string topic);

    [LoggerMessage(EventId = 5053, EventName = "StaleRetainedMessage", Level = LogLevel.Debug,
        Message = "Ignored the retained copy of an older message on {Topic}: a newer one from the same runtime was accepted")]
    private partial void LogStaleRetained(string topic);
}
