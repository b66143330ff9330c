using Wafer.Protocol.Transport;

namespace Wafer.ControlPlane.Mqtt;

/// <summary>How the orchestrator reaches its broker.</summary>
/// <param name="Username">Overrides the URL's user when set.</param>
/// <param name="Password">Overrides the URL's password when set. Secret: never logged.</param>
public sealed record MqttSettings(BrokerAddress Endpoint, string? Username, string? Password)
{
    /// <summary>
    /// The fleet token (<see cref="Wafer.Protocol.V1.MessageSignature"/>): what the orchestrator publishes is signed with
    /// keys derived from it, runtimes' messages must be, and it gives the broker user <see cref="BrokerUsers.Orchestrator"/>
    /// its password. None: unsigned and anonymous. Secret.
    /// </summary>
    public string? SigningToken { get; init; }

    /// <summary>The realm's topic names (<c>--realm</c>).</summary>
    public Wafer.Protocol.V1.Topics Topics { get; init; } = Wafer.Protocol.V1.Topics.Default;

    /// <summary>The private CA an <c>mqtts://</c> broker's certificate chains to (<c>--mqttCa</c>); none: the system store.</summary>
    public BrokerTrust? Trust { get; init; }

    /// <summary>The broker user: an explicit one (flag, then URL), else the orchestrator's own when there is a token.</summary>
    public string? EffectiveUsername => Username ?? Endpoint.Username ?? (SigningToken is null ? null : BrokerUsers.Orchestrator);

    public string? EffectivePassword => (Username ?? Endpoint.Username) is not null
        ? Password ?? Endpoint.Password
        : SigningToken is { } token ? BrokerUsers.Password(token, BrokerUsers.Orchestrator) : null;
}
