using Wafer.Protocol.Security;

namespace Wafer.Protocol.Transport;

/// <summary>
/// The broker users a fleet token gives its members (docs/security.md, "The control channel"): a runtime's user name
/// is its id, so a Mosquitto ACL pattern with <c>%u</c> names its topics; the orchestrator's is <see cref="Orchestrator"/>.
/// Each password is derived from the token (<see cref="FleetKeys.BrokerPassword"/>), so the in-process broker checks
/// it by deriving it again and nobody has to configure users.
/// </summary>
public static class BrokerUsers
{
    public const string Orchestrator = "orchestrator";

    /// <summary>The user name of runtime <paramref name="runtimeId"/>.</summary>
    public static string Runtime(string runtimeId) => runtimeId;

    /// <summary>True when <paramref name="username"/> can name a runtime: a UUID, as runtime ids are.</summary>
    public static bool IsRuntime(string username) => Guid.TryParseExact(username, "D", out _);

    public static string Password(string token, string username) => FleetKeys.BrokerPassword(token, username);
}
