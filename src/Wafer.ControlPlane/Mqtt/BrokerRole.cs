using Wafer.Protocol.Manifest;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Mqtt;

/// <summary>
/// Who a client of the in-process broker is, and the topics that allows it (docs/security.md, "The control channel"):
/// a runtime publishes only its own runtime topics and reads only its own commands and the orchestrator's status; the
/// orchestrator publishes commands and its own status and errors and reads runtime topics. Both read and write user
/// topics (outside <c>wafer/</c> and <c>$</c>: <see cref="MqttTopicRules"/>) for the MQTT triggers they serve. A client with the operator's
/// explicit credentials (<c>--mqttUser</c>), or any client of a broker with no token and no user, may do anything.
/// </summary>
public sealed record BrokerRole(BrokerRoleKind Kind, string? RuntimeId = null)
{
    public static readonly BrokerRole Unrestricted = new(BrokerRoleKind.Unrestricted);

    public static readonly BrokerRole Orchestrator = new(BrokerRoleKind.Orchestrator);

    public static BrokerRole Runtime(string runtimeId) => new(BrokerRoleKind.Runtime, runtimeId);

    public bool MayPublish(string topic) => Kind switch
    {
        BrokerRoleKind.Unrestricted => true,
        BrokerRoleKind.Orchestrator => topic is Topics.OrchestratorStatus or Topics.OrchestratorErrors
                                       || (Topics.TryParseRuntimeTopic(topic, out _, out var channel) && channel == "commands")
                                       || MqttTopicRules.CheckTopic(topic) is null, // the answers of MQTT triggers, on user topics
        _ => topic == Topics.Announce(RuntimeId!) || topic == Topics.Status(RuntimeId!) || topic == Topics.Keepalive(RuntimeId!)
             || topic == Topics.Events(RuntimeId!)
             || MqttTopicRules.CheckTopic(topic) is null, // the answers of its local plugins' MQTT triggers
    };

    /// <summary>True when the role may subscribe to <paramref name="filter"/> (wildcards only where every match is allowed).</summary>
    public bool MaySubscribe(string filter) => Kind switch
    {
        BrokerRoleKind.Unrestricted => true,
        BrokerRoleKind.Orchestrator => filter.StartsWith(Topics.Prefix + "/runtimes/", StringComparison.Ordinal)
                                       || MqttTopicRules.CheckFilter(filter) is null, // the topics of MQTT triggers
        _ => filter == Topics.Commands(RuntimeId!) || filter == Topics.OrchestratorStatus
             || MqttTopicRules.CheckFilter(filter) is null, // its local plugins' MQTT triggers
    };

    public override string ToString() => Kind == BrokerRoleKind.Runtime ? $"runtime {RuntimeId}" : Kind.ToString().ToLowerInvariant();
}
