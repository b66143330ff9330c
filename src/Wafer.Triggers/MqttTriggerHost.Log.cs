using Microsoft.Extensions.Logging;

namespace Wafer.Triggers;

/// <summary>The MQTT trigger host's log events (band 9000-9999).</summary>
internal sealed partial class MqttTriggerHost
{
    [LoggerMessage(EventId = 9000, EventName = "TriggerBrokerConnected", Level = LogLevel.Information,
        Message = "MQTT triggers connected to {Broker} as {ClientId}")]
    private static partial void Connected(ILogger logger, string broker, string clientId);

    [LoggerMessage(EventId = 9001, EventName = "TriggerBrokerConnectFailed", Level = LogLevel.Warning,
        Message = "MQTT triggers could not connect to {Broker} or subscribe: {Reason}; retrying in {DelayMs} ms")]
    private static partial void ConnectFailed(ILogger logger, string broker, string reason, int delayMs);

    [LoggerMessage(EventId = 9002, EventName = "TriggerSubscribed", Level = LogLevel.Information,
        Message = "MQTT trigger topic {Topic} subscribed")]
    private static partial void TopicSubscribed(ILogger logger, string topic);

    [LoggerMessage(EventId = 9003, EventName = "TriggerSubscribeRefused", Level = LogLevel.Warning,
        Message = "The broker refused the subscription to trigger topic {Topic}: {Code} (check its access rules, docs/security.md)")]
    private static partial void SubscribeRefused(ILogger logger, string topic, string code);

    [LoggerMessage(EventId = 9004, EventName = "TriggerBusy", Level = LogLevel.Warning,
        Message = "Trigger {Trigger} of {Plugin} is full; a message on {Topic} was dropped")]
    private static partial void Busy(ILogger logger, string plugin, string trigger, string topic);

    [LoggerMessage(EventId = 9005, EventName = "TriggerBadPayload", Level = LogLevel.Information,
        Message = "Trigger {Trigger} of {Plugin}: a message on {Topic} was refused: {Reason}")]
    private static partial void BadPayload(ILogger logger, string plugin, string trigger, string topic, string reason);

    [LoggerMessage(EventId = 9006, EventName = "TriggerCallFailed", Level = LogLevel.Information,
        Message = "Trigger {Trigger}: {Plugin}/{Function} for a message on {Topic} failed with {Status}: {Reason}")]
    private static partial void CallFailed(ILogger logger, string plugin, string function, string trigger, string topic, int status, string reason);

    [LoggerMessage(EventId = 9007, EventName = "TriggerAnswerNotPublished", Level = LogLevel.Warning,
        Message = "A trigger's answer was not published to {Topic}: {Reason}")]
    private static partial void NotPublished(ILogger logger, string topic, string reason);
}
