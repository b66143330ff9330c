using MQTTnet;

namespace Wafer.Runtime.Agent;

/// <summary>The broker answered the agent's CONNECT with a failure; <see cref="Credentials"/> when it refused who the runtime is.</summary>
internal sealed class BrokerRefusedException(MqttClientConnectResultCode code, string? reason)
    : Exception($"the broker refused the connection: {code}{(string.IsNullOrEmpty(reason) ? "" : ": " + reason)}")
{
    public bool Credentials { get; } = code is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized;
}
