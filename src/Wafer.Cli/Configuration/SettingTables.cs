using Wafer.ControlPlane.Hosting;
using Wafer.Gateway.Hosting;
using Wafer.GraphQL;
using Wafer.Runtime.Handlers;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Jobs;

namespace Wafer.Cli.Configuration;

/// <summary>
/// The settings of options classes that have no flag of their own elsewhere, as <see cref="PropertyFlags"/> rows:
/// flag, configuration key, description. The keys under <c>Runtime</c> and <c>Orchestrator</c> are bound onto the
/// command's <see cref="RuntimeOptions"/> and <see cref="OrchestratorOptions"/>; those under <c>Jobs</c>,
/// <c>Handlers</c> and <c>Gateway</c> go into the application's configuration, where those sections are bound.
/// </summary>
public static class SettingTables
{
    private static Dictionary<string, object> Defaults() => new(StringComparer.Ordinal)
    {
        ["Runtime"] = new RuntimeOptions(),
        ["Orchestrator"] = new OrchestratorOptions(),
        ["Jobs"] = new JobOptions(),
        ["Handlers"] = new HandlerOptions(),
        ["Gateway"] = new GatewayOptions(),
    };

    /// <summary>The orchestrator's timings and limits (<c>serve</c>, <c>orchestrator</c>).</summary>
    public static PropertyFlags Orchestrator() => new(Defaults(),
        ("drainTimeout", "Orchestrator:DrainTimeout", "How long a draining runtime's modules wait for replacements elsewhere before they are removed anyway"),
        ("keepaliveGraceMissed", "Orchestrator:KeepaliveGraceMissed", "Keepalives a runtime may miss before its health is checked and, failing that, it is taken for offline"),
        ("commandTimeout", "Orchestrator:CommandTimeout", "How long a create_module or delete_module waits for the runtime's answer"),
        ("maxArtifactBytes", "Orchestrator:MaxArtifactBytes", "Largest plugin (wasm) a deployment may upload; larger is answered 413"),
        ("reconcileInterval", "Orchestrator:ReconcileInterval", "How often deadlines are checked and unplaced replicas retried"),
        ("routeGrace", "Orchestrator:RouteGrace", "How long a replica being removed is out of the routes before its runtime unloads it"),
        ("runtimeProbeTimeout", "Orchestrator:RuntimeProbeTimeout", "How long the health check of a runtime the control channel lost may take"),
        ("runtimeProbeInterval", "Orchestrator:RuntimeProbeInterval", "How often a runtime the control channel lost, but which still answers, is checked again"));

    /// <summary>The runtime's settings beyond its limit, log and compatibility flags (<c>serve</c>, <c>runtime</c>).</summary>
    public static PropertyFlags Runtime() => new(Defaults(), RuntimeRows);

    private static readonly (string Flag, string Key, string Description)[] RuntimeRows =
        [
            ("maxRequestBytes", "Runtime:MaxRequestBytes", "Largest request body of a function call, handler request or GraphQL request"),
            ("maxConcurrentJobs", "Jobs:MaxConcurrent", "Jobs (POST /jobs) that run at once; more wait"),
            ("maxQueuedJobs", "Jobs:MaxQueued", "Jobs that may wait for a slot; beyond it POST /jobs answers 503"),
            ("jobOutputBytes", "Jobs:OutputLimitBytes", "Bytes of a job's stdout, and of its stderr, that are kept"),
            ("handlerMaxResponseBytes", "Handlers:MaxResponseBytes", "Largest response an HTTP handler may write; more is a 502"),
            ("handlerStderrBytes", "Handlers:StderrLimitBytes", "Bytes of a handler's stderr kept per request for the log"),
            ("maxModules", "Runtime:Agent:MaxModules", "Modules the orchestrator may place on this runtime (its capacity)"),
            ("artifactTimeout", "Runtime:Agent:ArtifactTimeout", "Longest wait for one artifact download from the orchestrator"),
            .. GraphQLRows("Runtime:GraphQL"),
        ];

    /// <summary>The gateway's limits and timings (<c>orchestrator</c>, <c>gateway</c>).</summary>
    public static PropertyFlags Gateway() => new(Defaults(), GatewayRows);

    /// <summary>
    /// The settings of the gateway <c>serve</c>'s orchestrator runs, beyond those the runtime's flags of the same name
    /// set for both (<see cref="ShareWithGateway"/>): its timings and probes.
    /// </summary>
    public static PropertyFlags ServeGateway() => new(Defaults(), [.. GatewayRows.Where(g => !RuntimeRows.Any(r => r.Flag == g.Flag))]);

    /// <summary>
    /// In <c>serve</c> one flag sets a limit for the runtime and for the gateway in front of it alike
    /// (<c>--maxRequestBytes</c>, the GraphQL limits): the runtime's values given in <paramref name="configuration"/>
    /// are copied to the gateway's keys.
    /// </summary>
    public static void ShareWithGateway(IDictionary<string, string?> configuration)
    {
        foreach (var (flag, key, _) in RuntimeRows)
        {
            if (GatewayRows.FirstOrDefault(g => g.Flag == flag) is { Key: { } gatewayKey } && configuration.TryGetValue(key, out var value))
            {
                configuration[gatewayKey] = value;
            }
        }
    }

    private static readonly (string Flag, string Key, string Description)[] GatewayRows =
        [
            ("maxRequestBytes", "Gateway:MaxRequestBytes", "Largest request body of a call through the gateway; larger is answered 413 before it reaches a runtime"),
            ("callTimeout", "Gateway:CallTimeout", "How long a call may take from being sent to a runtime to its last byte"),
            ("connectTimeout", "Gateway:ConnectTimeout", "How long opening a connection to a runtime may take"),
            ("putAsideFor", "Gateway:PutAsideFor", "How long a replica that refused a connection or broke a call is skipped"),
            ("stallAfter", "Gateway:StallAfter", "A replica with calls in flight and no answer for this long is probed"),
            ("probeInterval", "Gateway:ProbeInterval", "How often every runtime's /healthz is probed"),
            ("probeTimeout", "Gateway:ProbeTimeout", "How long a probe may take before it counts as failed"),
            ("probeFailuresToDown", "Gateway:ProbeFailuresToDown", "Failed probes in a row after which a replica is taken for down"),
            .. GraphQLRows("Gateway:GraphQL"),
        ];

    private static (string, string, string)[] GraphQLRows(string section) =>
    [
        ("graphqlMaxQueryLength", $"{section}:{nameof(GraphQLOptions.MaxQueryLength)}", "Longest GraphQL query document, in characters"),
        ("graphqlMaxDepth", $"{section}:{nameof(GraphQLOptions.MaxDepth)}", "Deepest field nesting of a GraphQL operation"),
        ("graphqlMaxFields", $"{section}:{nameof(GraphQLOptions.MaxFields)}", "Most field selections in a GraphQL operation"),
        ("graphqlMaxRootFields", $"{section}:{nameof(GraphQLOptions.MaxRootFields)}", "Most root fields (function calls) in one GraphQL operation"),
        ("graphqlMaxDirectives", $"{section}:{nameof(GraphQLOptions.MaxDirectivesPerLocation)}", "Most directives on one GraphQL field, fragment or operation"),
        ("graphqlMaxFieldMergePairs", $"{section}:{nameof(GraphQLOptions.MaxFieldMergePairs)}", "Most pairs of same-named fields GraphQL validation may compare"),
        ("graphqlMaxErrors", $"{section}:{nameof(GraphQLOptions.MaxErrors)}", "Most errors in one GraphQL response"),
        ("graphqlMaxParallelFields", $"{section}:{nameof(GraphQLOptions.MaxParallelFields)}", "Function fields of one GraphQL query that run at once"),
        ("graphqlRequestTimeout", $"{section}:{nameof(GraphQLOptions.RequestTimeout)}", "How long one GraphQL request may take"),
    ];
}
