using System.Security.Cryptography;
using System.Text;
using MQTTnet.Protocol;
using Wafer.Protocol.Transport;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Mqtt;

/// <summary>
/// Decides who connects to the in-process broker. With the fleet token, the orchestrator and each runtime have a user
/// whose password derives from it (<see cref="BrokerUsers"/>): the broker checks it by deriving it again. The
/// operator's explicit user (<c>--mqttUser</c>/<c>--mqttPassword</c>) is accepted too, unrestricted. With neither, the
/// broker (on loopback only) accepts anyone, as before fleets had tokens.
/// </summary>
internal sealed class BrokerAuthenticator(string? token, string? username, string? password, Topics topics)
{
    public const string RuntimeClientPrefix = "wafer-runtime-";

    /// <summary>The client id suffix of a runtime's trigger client (<c>wafer-runtime-{id}-triggers</c>).</summary>
    public const string TriggerClientSuffix = "-triggers";

    /// <summary>The client id suffix of a runtime's client for program modules' channels (<c>wafer-runtime-{id}-channels</c>).</summary>
    public const string ChannelClientSuffix = "-channels";

    /// <summary>True when anonymous clients are refused.</summary>
    public bool RequiresCredentials => token is not null || username is not null;

    public Outcome Authenticate(string clientId, string? user, string? pass)
    {
        if (!RequiresCredentials)
        {
            return new Outcome(BrokerRole.Unrestricted(topics), MqttConnectReasonCode.Success, null);
        }

        if (string.IsNullOrEmpty(user))
        {
            return Refuse(MqttConnectReasonCode.BadUserNameOrPassword, token is null
                ? "this broker requires its user name and password"
                : "this fleet has a token and its broker requires credentials: start the runtime with --token (or WAFER_TOKEN), its broker user and password derive from it");
        }

        if (username is not null && user == username)
        {
            return SamePassword(pass, password)
                ? new Outcome(BrokerRole.Unrestricted(topics), MqttConnectReasonCode.Success, null)
                : Refuse(MqttConnectReasonCode.BadUserNameOrPassword, $"wrong password for user '{user}'");
        }

        if (token is not null && (user == BrokerUsers.Orchestrator || BrokerUsers.IsRuntime(user)))
        {
            if (!SamePassword(pass, BrokerUsers.Password(token, user)))
            {
                return Refuse(MqttConnectReasonCode.BadUserNameOrPassword,
                    $"wrong password for user '{user}': it derives from the fleet token, so the client's --token differs from the orchestrator's");
            }

            if (user == BrokerUsers.Orchestrator)
            {
                return new Outcome(BrokerRole.Orchestrator(topics), MqttConnectReasonCode.Success, null);
            }

            // One client id per runtime: another would take over its session, and the broker would publish its last will.
            // Its triggers (docs/manifest.md, "Triggers") and its modules' channels (docs/silverline.md) connect beside it
            // with the same id and a suffix.
            return clientId == RuntimeClientPrefix + user || clientId == RuntimeClientPrefix + user + TriggerClientSuffix
                   || clientId == RuntimeClientPrefix + user + ChannelClientSuffix
                ? new Outcome(BrokerRole.Runtime(topics, user), MqttConnectReasonCode.Success, null)
                : Refuse(MqttConnectReasonCode.ClientIdentifierNotValid, $"runtime '{user}' must connect with client id {RuntimeClientPrefix}{user}");
        }

        return Refuse(MqttConnectReasonCode.BadUserNameOrPassword, $"unknown user '{user}'");
    }

    private static Outcome Refuse(MqttConnectReasonCode code, string reason) => new(null, code, reason);

    private static bool SamePassword(string? given, string? expected) =>
        given is not null && expected is not null
        && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));

    /// <param name="Role">The client's role; null when refused.</param>
    /// <param name="Code">The CONNACK reason code.</param>
    /// <param name="Reason">Why it was refused (the CONNACK's reason string).</param>
    public readonly record struct Outcome(BrokerRole? Role, MqttConnectReasonCode Code, string? Reason);
}
