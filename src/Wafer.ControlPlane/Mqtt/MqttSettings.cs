using Wafer.Protocol.Transport;
namespace Wafer.ControlPlane.Mqtt;

/// <summary>How the orchestrator reaches its broker.</summary>
/// <param name="Username">Overrides the URL's user when set.</param>
/// <param name="Password">Overrides the URL's password when set. Secret: never logged.</param>
public sealed record MqttSettings(BrokerAddress Endpoint, string? Username, string? Password)
{
    /// <summary>The control token commands are signed with (<see cref="Wafer.Protocol.V1.CommandSignature"/>); none: unsigned. Secret.</summary>
    public string? SigningToken { get; init; }

    /// <summary>The private CA an <c>mqtts://</c> broker's certificate chains to (<c>--mqttCa</c>); none: the system store.</summary>
    public Wafer.Protocol.Transport.BrokerTrust? Trust { get; init; }

    public string? EffectiveUsername => Username ?? Endpoint.Username;

    public string? EffectivePassword => Password ?? Endpoint.Password;
}
