using Wafer.Protocol.Manifest;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Mqtt;

/// <summary>
/// Who a client of the in-process broker is, and the topics of its realm that allows it (docs/security.md, "The control
/// channel"): a runtime publishes only its own runtime topics and reads only its own commands and the orchestrator's
/// status; the orchestrator publishes commands, its own status and errors and SilverLine's answers, errors and
/// notifications, and reads runtime topics and SilverLine's control topic. Both read and write user topics (never a
/// realm's <c>wafer/</c> or <c>proc/</c> topics, nor <c>$</c>: <see cref="MqttTopicRules"/>) for the MQTT triggers they
/// serve. Clients' create and delete requests on <c>{realm}/proc/control</c> come only from the operator's explicit
/// user (<c>--mqttUser</c>), which may do anything, or, on a broker with no token and no user, from any client.
/// </summary>
internal sealed record BrokerRole(BrokerRoleKind Kind, Topics Topics, string? RuntimeId = null)
{
    public static BrokerRole Unrestricted(Topics topics) => new(BrokerRoleKind.Unrestricted, topics);

    public static BrokerRole Orchestrator(Topics topics) => new(BrokerRoleKind.Orchestrator, topics);

    public static BrokerRole Runtime(Topics topics, string runtimeId) => new(BrokerRoleKind.Runtime, topics, runtimeId);

    public bool MayPublish(string topic) => Kind switch
    {
        BrokerRoleKind.Unrestricted => true,
        BrokerRoleKind.Orchestrator => Topics.IsOrchestratorTopic(topic)
                                       || (Topics.TryParseRuntimeTopic(topic, out _, out var channel) && channel == "commands")
                                       || topic == Topics.ProcControl || topic == Topics.ProcLog || topic == Topics.ProcNotifications
                                       || IsUserTopic(topic), // the answers of MQTT triggers
        _ => topic == Topics.Announce(RuntimeId!) || topic == Topics.Status(RuntimeId!) || topic == Topics.Keepalive(RuntimeId!)
             || topic == Topics.Events(RuntimeId!)
             || IsUserTopic(topic), // the answers of its local plugins' MQTT triggers
    };

    /// <summary>True when the role may subscribe to <paramref name="filter"/> (wildcards only where every match is allowed).</summary>
    public bool MaySubscribe(string filter) => Kind switch
    {
        BrokerRoleKind.Unrestricted => true,
        BrokerRoleKind.Orchestrator => filter.StartsWith(Topics.Prefix + "/runtimes/", StringComparison.Ordinal) || filter == Topics.ProcControl
                                       || IsUserFilter(filter), // the topics of MQTT triggers
        _ => filter == Topics.Commands(RuntimeId!) || filter == Topics.OrchestratorStatus
             || IsUserFilter(filter), // its local plugins' MQTT triggers
    };

    private static bool IsUserTopic(string topic) => MqttTopicRules.CheckTopic(topic) is null;

    /// <summary>A trigger's filter that cannot match this realm's own topics (<c>{realm}/+/…</c> and <c>{realm}/#</c> could).</summary>
    private bool IsUserFilter(string filter)
    {
        if (MqttTopicRules.CheckFilter(filter) is not null)
        {
            return false;
        }

        var levels = filter.Split('/', 3);
        return !(levels[0] == Topics.Realm && (levels.Length == 1 || levels[1] is "+" or "#"));
    }

    public override string ToString() => Kind == BrokerRoleKind.Runtime ? $"runtime {RuntimeId}" : Kind.ToString().ToLowerInvariant();
}
