using Wafer.Protocol.Transport;
namespace Wafer.Runtime.Agent;

/// <summary>
/// How a runtime joins a fleet (docs/protocol.md). The agent runs only when <see cref="Join"/> is set; without it the
/// runtime serves its plugins folder alone.
/// </summary>
public sealed class AgentOptions
{
    /// <summary>The MQTT broker: <c>mqtt://HOST:PORT</c> or <c>mqtts://HOST:PORT</c>, optionally with <c>user:password@</c>.</summary>
    public string? Join { get; set; }

    /// <summary>The realm every MQTT topic lies under (<c>--realm</c>); the orchestrator's realm.</summary>
    public string Realm { get; set; } = Wafer.Protocol.V1.Topics.DefaultRealm;

    /// <summary>A readable name for this runtime; default <c>HOSTNAME-IDPREFIX</c>.</summary>
    public string? Name { get; set; }

    /// <summary>Labels the scheduler matches deployment constraints against (<c>zone=a</c>, <c>gpu=true</c>).</summary>
    public Dictionary<string, string> Labels { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The URL the gateway and peers reach this runtime at; default derived from the address it is bound to.</summary>
    public string? AdvertisedUrl { get; set; }

    /// <summary>
    /// The port of the HTTP/2 cleartext listener gateways send calls to (<see cref="Hosting.H2cEndpoint"/>): 0 picks a
    /// free one, -1 turns it off. With <see cref="AdvertisedUrl"/> set, only an explicit port is listened on and
    /// announced (on the advertised host), since a free port behind an advertised address is unlikely to be reachable.
    /// </summary>
    public int H2cPort { get; set; }

    /// <summary>True when the runtime listens for h2c: in a fleet, unless turned off (see <see cref="H2cPort"/>).</summary>
    public bool ListensForH2c => Enabled && (H2cPort > 0 || (H2cPort == 0 && AdvertisedUrl is null));

    /// <summary>How often a keepalive with load and module states is sent.</summary>
    public TimeSpan KeepaliveInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The broker user name (overrides one given in <see cref="Join"/>).</summary>
    public string? MqttUsername { get; set; }

    /// <summary>The broker password (overrides one given in <see cref="Join"/>). Secret: never logged.</summary>
    public string? MqttPassword { get; set; }

    /// <summary>A PEM file of CA certificates an <c>mqtts://</c> broker's certificate may chain to (a private CA).</summary>
    public string? MqttCa { get; set; }

    /// <summary>
    /// The fleet token: sent as the bearer token when fetching artifacts, and the root of the keys the agent signs with
    /// and checks commands against, and of its broker password (docs/protocol.md, "Signed messages"). Secret: never logged.
    /// </summary>
    public string? ControlToken { get; set; }

    /// <summary>The most modules the orchestrator may place here (announced as capacity).</summary>
    public int MaxModules { get; set; } = 100;

    /// <summary>Longest wait for one artifact download.</summary>
    public TimeSpan ArtifactTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public bool Enabled => !string.IsNullOrWhiteSpace(Join);

    /// <summary>Problems with these settings, each naming the setting to fix; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (!Enabled)
        {
            return errors;
        }

        if (!BrokerAddress.TryParse(Join!, out _, out var error))
        {
            errors.Add($"Agent.Join (--join): {error}");
        }

        if (Wafer.Protocol.V1.Topics.RealmProblem(Realm) is { } realmProblem)
        {
            errors.Add($"Agent.Realm (--realm): {realmProblem}");
        }

        if (KeepaliveInterval < TimeSpan.FromMilliseconds(100) || KeepaliveInterval > TimeSpan.FromHours(1))
        {
            errors.Add($"Agent.KeepaliveInterval (--keepalive) must be between 100ms and 1h, got {KeepaliveInterval}");
        }

        if (AdvertisedUrl is not null
            && !(Uri.TryCreate(AdvertisedUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            errors.Add($"Agent.AdvertisedUrl (--advertise): '{AdvertisedUrl}' is not an absolute http:// or https:// URL");
        }

        if (H2cPort is < -1 or > 65535)
        {
            errors.Add($"Agent.H2cPort (--h2cPort) must be a port number, 0 for a free one or -1 for none, got {H2cPort}");
        }

        if (MqttCa is not null)
        {
            if (Wafer.Protocol.Transport.BrokerTrust.Load(MqttCa, out var caError) is null)
            {
                errors.Add($"Agent.MqttCa (--mqttCa): {caError}");
            }
            else if (BrokerAddress.TryParse(Join!, out var address, out _) && !address.Tls)
            {
                errors.Add("Agent.MqttCa (--mqttCa) is for an mqtts:// broker; --join names an mqtt:// one");
            }
        }

        if (Labels.Keys.FirstOrDefault(k => string.IsNullOrWhiteSpace(k)) is not null)
        {
            errors.Add("Agent.Labels (--labels): a label has an empty key");
        }

        if (MaxModules < 1)
        {
            errors.Add($"Agent.MaxModules (--maxModules) must be at least 1, got {MaxModules}");
        }

        if (ArtifactTimeout <= TimeSpan.Zero)
        {
            errors.Add($"Agent.ArtifactTimeout (--artifactTimeout) must be positive, got {ArtifactTimeout}");
        }

        return errors;
    }
}
