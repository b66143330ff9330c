using Wafer.Protocol.Security;
using Wafer.Protocol.Transport;
using Wafer.Protocol.V1;

namespace Wafer.Runtime.Agent;

/// <summary>
/// What the fleet token gives this runtime (docs/protocol.md, "Signed messages"): its own key, which signs what it
/// publishes and the commands sent to it; the orchestrator's key, which signs the orchestrator's status; and its broker
/// user and password. Secret: never logged.
/// </summary>
internal sealed class RuntimeKeys(string token, string runtimeId)
{
    public byte[] Own { get; } = FleetKeys.Runtime(token, runtimeId);

    public byte[] Orchestrator { get; } = FleetKeys.Orchestrator(token);

    public string BrokerUser { get; } = BrokerUsers.Runtime(runtimeId);

    public string BrokerPassword { get; } = BrokerUsers.Password(token, BrokerUsers.Runtime(runtimeId));

    /// <summary>The signature of <paramref name="payload"/> published by this runtime on <paramref name="topic"/>.</summary>
    public string Sign(string topic, ReadOnlySpan<byte> payload) => MessageSignature.Compute(Own, topic, payload);
}
