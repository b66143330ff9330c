namespace Wafer.Protocol.V1;

/// <summary>
/// The one place MQTT topic names are built (docs/protocol.md, "Topics"; docs/silverline.md): every topic lies under a
/// realm (<c>--realm</c>, default <see cref="DefaultRealm"/>), Wafer's protocol under <c>{realm}/wafer/v1</c> and
/// SilverLine's control topics under <c>{realm}/proc</c>, so fleets sharing a broker in different realms never see
/// each other. Immutable; the names are built once.
/// </summary>
public sealed class Topics
{
    public const string DefaultRealm = "realm";

    /// <summary>The topics of the default realm (tests and tools that speak to a default fleet).</summary>
    public static readonly Topics Default = new(DefaultRealm);

    private const string Version = "wafer/v1";

    public Topics(string realm)
    {
        if (RealmProblem(realm) is { } problem)
        {
            throw new ArgumentException(problem, nameof(realm));
        }

        Realm = realm;
        Prefix = $"{realm}/{Version}";
        AllRuntimes = Prefix + "/runtimes/+/#";
        OrchestratorStatus = Prefix + "/orchestrator/status";
        OrchestratorErrors = Prefix + "/orchestrator/errors";
        ProcControl = realm + "/proc/control";
        ProcLog = realm + "/proc/log/orchestrator";
        ProcNotifications = realm + "/proc/notif";
    }

    public string Realm { get; }

    /// <summary><c>{realm}/wafer/v1</c>.</summary>
    public string Prefix { get; }

    public string AllRuntimes { get; }

    public string OrchestratorStatus { get; }

    public string OrchestratorErrors { get; }

    /// <summary>SilverLine's control topic: clients' create and delete requests, and the orchestrator's answers (<c>type: resp</c>).</summary>
    public string ProcControl { get; }

    /// <summary>SilverLine's error topic: what the orchestrator refuses on <see cref="ProcControl"/>.</summary>
    public string ProcLog { get; }

    /// <summary>SilverLine's notification topic: a module's <c>exited</c>.</summary>
    public string ProcNotifications { get; }

    public string Announce(string runtimeId) => $"{Prefix}/runtimes/{runtimeId}/announce";

    public string Status(string runtimeId) => $"{Prefix}/runtimes/{runtimeId}/status";

    public string Keepalive(string runtimeId) => $"{Prefix}/runtimes/{runtimeId}/keepalive";

    public string Events(string runtimeId) => $"{Prefix}/runtimes/{runtimeId}/events";

    public string Commands(string runtimeId) => $"{Prefix}/runtimes/{runtimeId}/commands";

    /// <summary>Where a module's standard output or error (<paramref name="stream"/>: <c>stdout</c>, <c>stderr</c>) is published.</summary>
    public string ModuleOutput(string moduleId, string stream) => $"{Realm}/proc/module/{moduleId}/{stream}";

    /// <summary>Splits <c>{realm}/wafer/v1/runtimes/{id}/{channel}</c> of this realm; false for any other topic.</summary>
    public bool TryParseRuntimeTopic(string topic, out string runtimeId, out string channel) =>
        TryParseAnyRealm(topic, out var realm, out runtimeId, out channel) && realm == Realm;

    /// <summary>True when <paramref name="topic"/> is this realm's <c>{realm}/wafer/v1/orchestrator/{status|errors}</c>.</summary>
    public bool IsOrchestratorTopic(string topic) => topic == OrchestratorStatus || topic == OrchestratorErrors;

    /// <summary>
    /// Splits <c>{realm}/wafer/v1/runtimes/{id}/{channel}</c> of any realm. Decoding and signatures use this shape alone:
    /// a client receives only the realm it subscribed to, and a signature covers the whole topic, realm included.
    /// </summary>
    public static bool TryParseAnyRealm(string topic, out string realm, out string runtimeId, out string channel)
    {
        realm = runtimeId = channel = "";
        var parts = topic.Split('/');
        if (parts is not [var r, "wafer", "v1", "runtimes", var id, var last] || id.Length == 0 || r.Length == 0)
        {
            return false;
        }

        realm = r;
        runtimeId = id;
        channel = last;
        return true;
    }

    /// <summary>The orchestrator's own topic (<c>status</c> or <c>errors</c>) of any realm, or null.</summary>
    public static string? OrchestratorChannelOf(string topic) =>
        topic.Split('/') is [{ Length: > 0 }, "wafer", "v1", "orchestrator", var channel and ("status" or "errors")] ? channel : null;

    /// <summary>Why <paramref name="realm"/> cannot name a realm (one topic level of letters, digits, <c>-</c>, <c>_</c>, <c>.</c>), or null.</summary>
    public static string? RealmProblem(string? realm)
    {
        if (string.IsNullOrEmpty(realm))
        {
            return "the realm must not be empty";
        }

        if (realm.Length > 64)
        {
            return $"the realm must be at most 64 characters, got {realm.Length}";
        }

        return realm.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? null
            : $"the realm '{realm}' must be one topic level of letters, digits, '-', '_' and '.' (no '/', '+', '#' or spaces)";
    }
}
