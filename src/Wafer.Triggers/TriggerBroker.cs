using Wafer.Protocol.Transport;

namespace Wafer.Triggers;

/// <summary>The broker MQTT triggers subscribe on, with the credentials and client id this host uses there.</summary>
public sealed record TriggerBroker(BrokerAddress Endpoint, string? Username, string? Password, BrokerTrust? Trust, string ClientId)
{
    public override string ToString() => Endpoint.ToString();
}
