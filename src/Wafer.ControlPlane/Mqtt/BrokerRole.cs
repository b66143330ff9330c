using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Mqtt;

/// <summary>
/// Who a client of the in-process broker is, and the topics of its realm that allows it (docs/security.md, "The control
/// channel"): a runtime publishes only its own runtime topics and reads only its own commands and the orchestrator's
/// status; the orchestrator publishes commands, its own status and errors and SilverLine's answers, errors and
/// notifications, and reads runtime topics and SilverLine's control topic. Clients' create and delete requests on
/// <c>{realm}/proc/control</c> come only from the operator's explicit user (<c>--mqttUser</c>), which may do anything, or,
/// on a broker with no token and no user, from any client.
/// </summary>
public sealed record BrokerRole(BrokerRoleKind Kind, Topics Topics, string? RuntimeId = null)
{
    public static BrokerRole Unrestricted(Topics topics) => new(BrokerRoleKind.Unrestricted, topics);

    public static BrokerRole Orchestrator(Topics topics) => new(BrokerRoleKind.Orchestrator, topics);

    public static BrokerRole Runtime(Topics topics, string runtimeId) => new(BrokerRoleKind.Runtime, topics, runtimeId);

    public bool MayPublish(string topic) => Kind switch
    {
        BrokerRoleKind.Unrestricted => true,
        BrokerRoleKind.Orchestrator => Topics.IsOrchestratorTopic(topic)
                                       || (Topics.TryParseRuntimeTopic(topic, out _, out var channel) && channel == "commands")
                                       || topic == Topics.ProcControl || topic == Topics.ProcLog || topic == Topics.ProcNotifications,
        _ => topic == Topics.Announce(RuntimeId!) || topic == Topics.Status(RuntimeId!) || topic == Topics.Keepalive(RuntimeId!)
             || topic == Topics.Events(RuntimeId!),
    };

    /// <summary>True when the role may subscribe to <paramref name="filter"/> (wildcards only where every match is allowed).</summary>
    public bool MaySubscribe(string filter) => Kind switch
    {
        BrokerRoleKind.Unrestricted => true,
        BrokerRoleKind.Orchestrator => filter.StartsWith(Topics.Prefix + "/runtimes/", StringComparison.Ordinal) || filter == Topics.ProcControl,
        _ => filter == Topics.Commands(RuntimeId!) || filter == Topics.OrchestratorStatus,
    };

    public override string ToString() => Kind == BrokerRoleKind.Runtime ? $"runtime {RuntimeId}" : Kind.ToString().ToLowerInvariant();
}
