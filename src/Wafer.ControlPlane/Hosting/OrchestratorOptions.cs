using System.Net;
using Wafer.Protocol.Transport;
using Wafer.Storage.S3;

namespace Wafer.ControlPlane.Hosting;

/// <summary>Settings of the orchestrator process; bound from flags, <c>WAFER_*</c> variables or appsettings.json.</summary>
public sealed class OrchestratorOptions
{
    public const int DefaultPort = 8680;
    public const int DefaultBrokerPort = 1883;

    /// <summary>HTTP port of the REST API and the artifact store.</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>Address the HTTP server binds; loopback by default.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>
    /// The base URL runtimes use to reach this orchestrator (artifact downloads); default <c>http://HOST:PORT</c> as bound.
    /// Set it when runtimes are on other machines.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The external MQTT broker (<c>mqtt://host:port</c>, <c>mqtts://…</c>); null runs the in-process broker on 127.0.0.1.</summary>
    public string? Mqtt { get; set; }

    /// <summary>The realm every MQTT topic lies under (<c>--realm</c>, docs/protocol.md "Topics"); runtimes must join with the same.</summary>
    public string Realm { get; set; } = Wafer.Protocol.V1.Topics.DefaultRealm;

    /// <summary>Port of the in-process broker (only when <see cref="Mqtt"/> is null).</summary>
    public int BrokerPort { get; set; } = DefaultBrokerPort;

    /// <summary>
    /// The IP address the in-process broker binds (only when <see cref="Mqtt"/> is null): loopback by default; any other
    /// address (<c>0.0.0.0</c> for all) lets runtimes on other machines join, and needs <see cref="ApiToken"/> so the broker
    /// can require credentials.
    /// </summary>
    public string BrokerHost { get; set; } = "127.0.0.1";

    /// <summary>Broker user name (overrides one in the URL; the in-process broker then requires it).</summary>
    public string? MqttUsername { get; set; }

    /// <summary>Broker password. Secret: never logged.</summary>
    public string? MqttPassword { get; set; }

    /// <summary>A PEM file of CA certificates an <c>mqtts://</c> broker's certificate may chain to (a private CA).</summary>
    public string? MqttCa { get; set; }

    /// <summary>
    /// The orchestrator's database: a PostgreSQL connection string, or a SQLite file; null means
    /// <c>orchestrator.db</c> in <see cref="StoragePath"/>.
    /// </summary>
    public string? Database { get; set; }

    /// <summary>Where the database (by default) and the plugin artifacts live; default <c>$HOME/.wafer/orchestrator</c>.</summary>
    public string StoragePath { get; set; } = DefaultStoragePath();

    /// <summary>
    /// Where plugin artifacts are kept: null for <c>artifacts/</c> in <see cref="StoragePath"/>, a folder, or an S3 bucket
    /// as <c>s3://BUCKET/PREFIX</c> (reached through the standard AWS settings), which several orchestrators can share.
    /// </summary>
    public string? Artifacts { get; set; }

    /// <summary>How long one request to an S3 artifact store may take.</summary>
    public TimeSpan ArtifactStoreTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The S3 location of <see cref="Artifacts"/>; null when it is a folder (or unset).</summary>
    public S3Location? ArtifactBucket() => Artifacts is { } text ? S3Location.TryParseUrl(text, "--artifacts", out _) : null;

    /// <summary>Keepalives a runtime may miss before it is taken for offline.</summary>
    public int KeepaliveGraceMissed { get; set; } = 3;

    /// <summary>How long a command waits for its answer before the module counts as failed (create) or gone (delete).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a draining runtime's modules wait for replacements elsewhere before they are removed anyway.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long a replica removed while others of its deployment run is out of the routes before its runtime is told to
    /// unload it, so gateways stop sending it calls first (rolling updates, scale-downs, drains). Zero: at once.
    /// </summary>
    public TimeSpan RouteGrace { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a health check (<c>GET /healthz</c>) of a runtime the control channel lost may take; no answer within it
    /// takes the runtime out of the routes.
    /// </summary>
    public TimeSpan RuntimeProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a runtime the control channel lost, but which still answers, is checked again.</summary>
    public TimeSpan RuntimeProbeInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often deadlines are checked and unplaced replicas retried.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest plugin upload accepted.</summary>
    public long MaxArtifactBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Largest request body accepted: a plugin in base64 inside JSON is a third larger than the wasm.</summary>
    public long MaxRequestBodyBytes => MaxArtifactBytes / 3 * 4 + 1024 * 1024;

    /// <summary>When set, deploy, stop, drain and artifact downloads need <c>Authorization: Bearer TOKEN</c>. Secret.</summary>
    public string? ApiToken { get; set; }

    /// <summary>The in-process broker's address (<see cref="BrokerHost"/>, parsed; loopback when it does not parse).</summary>
    public IPAddress BrokerBindAddress() => IPAddress.TryParse(BrokerHost, out var address) ? address : IPAddress.Loopback;

    public static string DefaultStoragePath() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".wafer", "orchestrator");

    /// <summary>Problems with these settings, each naming the setting to fix; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Port is < 0 or > 65535)
        {
            errors.Add($"Port (--port) must be between 0 and 65535, got {Port}");
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            errors.Add("Host (--host) must name an address to bind");
        }

        if (PublicUrl is not null && (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")))
        {
            errors.Add($"PublicUrl (--publicUrl) must be an absolute http(s) URL, got '{PublicUrl}'");
        }

        if (Mqtt is not null && !BrokerAddress.TryParse(Mqtt, out _, out var mqttError))
        {
            errors.Add($"Mqtt (--mqtt): {mqttError}");
        }

        if (Wafer.Protocol.V1.Topics.RealmProblem(Realm) is { } realmProblem)
        {
            errors.Add($"Realm (--realm): {realmProblem}");
        }

        if (Mqtt is null && BrokerPort is < 1 or > 65535)
        {
            errors.Add($"BrokerPort (--brokerPort) must be between 1 and 65535, got {BrokerPort}");
        }

        if (Mqtt is null && !IPAddress.TryParse(BrokerHost, out _))
        {
            errors.Add($"BrokerHost (--brokerHost) must be an IP address to bind (127.0.0.1, 0.0.0.0, ::), got '{BrokerHost}'");
        }
        else if (Mqtt is null && !IPAddress.IsLoopback(BrokerBindAddress()) && string.IsNullOrEmpty(ApiToken))
        {
            errors.Add($"BrokerHost (--brokerHost) {BrokerHost} is beyond loopback: the in-process broker then requires credentials, "
                       + "which derive from the fleet token; set --token (or WAFER_TOKEN)");
        }

        if (MqttCa is not null)
        {
            if (Wafer.Protocol.Transport.BrokerTrust.Load(MqttCa, out var caError) is null)
            {
                errors.Add($"MqttCa (--mqttCa): {caError}");
            }
            else if (!(Mqtt is not null && BrokerAddress.TryParse(Mqtt, out var endpoint, out _) && endpoint.Tls))
            {
                errors.Add("MqttCa (--mqttCa) is for an mqtts:// broker given with --mqtt");
            }
        }

        if (MqttPassword is not null && MqttUsername is null)
        {
            errors.Add("MqttPassword (--mqttPassword) needs MqttUsername (--mqttUsername)");
        }

        if (string.IsNullOrWhiteSpace(StoragePath))
        {
            errors.Add("StoragePath (--storagePath) must name a folder");
        }

        if (Artifacts is not null)
        {
            if (string.IsNullOrWhiteSpace(Artifacts))
            {
                errors.Add("Artifacts (--artifacts) must name a folder or s3://BUCKET/PREFIX");
            }
            else if (S3Location.TryParseUrl(Artifacts, "Artifacts (--artifacts)", out var s3Error) is null && s3Error is not null)
            {
                errors.Add(s3Error);
            }
            else if (Artifacts.Contains("://", StringComparison.Ordinal) && !Artifacts.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"Artifacts (--artifacts) must be a folder or s3://BUCKET/PREFIX, got '{Artifacts}'");
            }
        }

        if (ArtifactStoreTimeout < TimeSpan.FromSeconds(1) || ArtifactStoreTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"ArtifactStoreTimeout must be between 1 second and 10 minutes, got {ArtifactStoreTimeout}");
        }

        if (KeepaliveGraceMissed is < 1 or > 100)
        {
            errors.Add($"KeepaliveGraceMissed (--keepaliveGraceMissed) must be between 1 and 100, got {KeepaliveGraceMissed}");
        }

        foreach (var (name, value) in new[] { ("CommandTimeout (--commandTimeout)", CommandTimeout), ("DrainTimeout (--drainTimeout)", DrainTimeout), ("ReconcileInterval (--reconcileInterval)", ReconcileInterval) })
        {
            if (value < TimeSpan.FromMilliseconds(50))
            {
                errors.Add($"{name} must be at least 50ms, got {value}");
            }
        }

        foreach (var (name, value) in new[] { ("RuntimeProbeTimeout (--runtimeProbeTimeout)", RuntimeProbeTimeout), ("RuntimeProbeInterval (--runtimeProbeInterval)", RuntimeProbeInterval) })
        {
            if (value < TimeSpan.FromMilliseconds(100) || value > TimeSpan.FromMinutes(1))
            {
                errors.Add($"{name} must be between 100ms and 1 minute, got {value}");
            }
        }

        if (RouteGrace < TimeSpan.Zero || RouteGrace > TimeSpan.FromMinutes(1))
        {
            errors.Add($"RouteGrace (--routeGrace) must be between 0 and 1 minute, got {RouteGrace}");
        }

        if (MaxArtifactBytes < 1024)
        {
            errors.Add($"MaxArtifactBytes (--maxArtifactBytes) must be at least 1024, got {MaxArtifactBytes}");
        }

        return errors;
    }
}
