using Wafer.GraphQL;
using Wafer.Runtime.Agent;
using Wafer.Runtime.Execution;
using Wafer.Runtime.Logs;
using Wafer.Runtime.Storage;
using Wafer.Wasm;

namespace Wafer.Runtime.Hosting;

/// <summary>Settings of one runtime process; bound from flags, <c>WAFER_*</c> variables or appsettings.json.</summary>
public sealed partial class RuntimeOptions
{
    public const int DefaultPort = 8686;

    /// <summary>The folder plugins are loaded from (built .wasm files with manifests, or plugin project folders).</summary>
    public string PluginsPath { get; set; } = "plugins";

    /// <summary>
    /// Plugins kept in an S3 bucket (<c>--s3bucket</c>), or null. When set, <see cref="PluginsPath"/> is the local copy of
    /// the bucket's folder, kept in step on every <see cref="Refresh"/> poll instead of watched for file events.
    /// </summary>
    public Catalog.S3.S3PluginOptions? S3Plugins { get; set; }

    /// <summary>How often the plugins folder is polled in addition to file events.</summary>
    public TimeSpan Refresh { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Load plugins once at start and never again.</summary>
    public bool NoReload { get; set; }

    /// <summary>Where state and the compiled-code cache live; default <c>$HOME/.wafer</c>.</summary>
    public string StoragePath { get; set; } = DefaultStoragePath();

    /// <summary>
    /// The state database (inference history, call logs, jobs): a PostgreSQL connection string, or a SQLite file;
    /// null means <c>wafer.db</c> in <see cref="StoragePath"/>.
    /// </summary>
    public string? Database { get; set; }

    /// <summary>Largest request body accepted by function endpoints.</summary>
    public int MaxRequestBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>
    /// Guest calls running at once: functions over HTTP, the call protocol, GraphQL and Dgraph Lambda, and HTTP handlers
    /// (<c>--maxConcurrentCalls</c>). A guest that waits on a host call (HTTP, SQL) holds its slot meanwhile.
    /// </summary>
    public int MaxConcurrentCalls { get; set; } = DefaultMaxConcurrentCalls;

    public const int DefaultMaxConcurrentCalls = 64;

    /// <summary>
    /// One function's share of <see cref="MaxConcurrentCalls"/>, and how many of its calls may wait besides
    /// (<c>--maxConcurrentCallsPerFunction</c>); null: half of <see cref="MaxConcurrentCalls"/>.
    /// </summary>
    public int? MaxConcurrentCallsPerFunction { get; set; }

    /// <summary>Calls waiting for a slot at once (<c>--maxQueuedCalls</c>); beyond it a call is answered 503 unrun.</summary>
    public int MaxQueuedCalls { get; set; } = 256;

    /// <summary>
    /// How long a call waits for a slot before it is answered 503 unrun (<c>--queueTimeout</c>). Not part of the
    /// function's own time limit, which starts when it runs: a call ends within this plus its limit.
    /// </summary>
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Calls read from one call-protocol connection and not yet answered (<c>--maxCallsPerConnection</c>); further
    /// calls wait unread in the socket, so a gateway that stops reading answers stops being read.
    /// </summary>
    public int MaxCallsPerConnection { get; set; } = 256;

    /// <summary>Functions one plugin's metadata may declare (<c>--maxFunctions</c>): each is a route and a GraphQL field.</summary>
    public int MaxFunctions { get; set; } = 5_000;

    /// <summary>What a module may hold to load at all: size, functions, imports, exports, metadata (<c>--maxModule…</c>).</summary>
    public ModuleLimits ModuleLimits { get; set; } = ModuleLimits.Default;

    /// <summary>The execution capacity these settings give (<see cref="CallSlots"/>).</summary>
    public CallSlotsOptions Slots() =>
        new(MaxConcurrentCalls, MaxConcurrentCallsPerFunction ?? Math.Max(1, MaxConcurrentCalls / 2), MaxQueuedCalls, QueueTimeout);

    /// <summary>
    /// When set, control operations (<c>POST /api/plugins</c>, <c>DELETE /api/plugins/{name}</c>) need
    /// <c>Authorization: Bearer TOKEN</c>, and it is the agent's <see cref="AgentOptions.ControlToken"/> unless that is
    /// set (sent when fetching artifacts from the orchestrator). A runtime in a fleet gets the orchestrator's token, so
    /// only the orchestrator's credentials control it. Secret: never logged.
    /// </summary>
    public string? ApiToken { get; set; }

    /// <summary>What one <c>/graphql</c> request may cost (docs/graphql.md, "Limits").</summary>
    public GraphQLOptions GraphQL { get; set; } = new();

    /// <summary>How much one call may log, and how much of a guest's error message reaches a response or a log.</summary>
    public CallLogLimits Logs { get; set; } = new();

    /// <summary>How long the state database keeps call log lines, inferences and job records.</summary>
    public RetentionOptions Retention { get; set; } = new();

    /// <summary>
    /// Host folders a command plugin's <c>files</c> may name beyond its own data folder (<c>STORAGE/data/NAME</c>) and,
    /// for plugins of the plugins folder, folders inside the plugins folder (<c>--allowFolders /srv/a,/srv/b</c> or
    /// <c>WAFER_ALLOW_FOLDERS</c>). Empty by default: no manifest can reach any other host folder.
    /// </summary>
    public IReadOnlyList<string> AllowFolders { get; set; } = [];

    /// <summary>Joining a fleet through an MQTT broker (off unless <see cref="AgentOptions.Join"/> is set).</summary>
    public AgentOptions Agent { get; set; } = new();

    /// <summary>Triggers of a runtime on its own: the broker of its MQTT triggers (<c>--mqtt</c>).</summary>
    public Triggers.TriggerOptions Triggers { get; set; } = new();

    /// <summary>A comma-separated list of folders (<c>--allowFolders</c>) as full paths; null or empty text is none.</summary>
    public static IReadOnlyList<string> ParseFolders(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Path.GetFullPath)];

    public static string DefaultStoragePath() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".wafer");

    /// <summary>Problems with these settings, each naming the setting to fix; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(PluginsPath))
        {
            errors.Add("PluginsPath (--plugins) must name a folder");
        }
        else if (!Directory.Exists(PluginsPath))
        {
            errors.Add($"PluginsPath (--plugins): folder '{Path.GetFullPath(PluginsPath)}' does not exist");
        }

        if (Refresh < TimeSpan.FromMilliseconds(100))
        {
            errors.Add($"Refresh (--refresh) must be at least 100ms, got {Refresh}");
        }

        if (MaxRequestBytes < 1024)
        {
            errors.Add($"MaxRequestBytes (--maxRequestBytes) must be at least 1024, got {MaxRequestBytes}");
        }

        errors.AddRange(GraphQL.Validate());
        if (MaxConcurrentCalls is < 1 or > 10_000)
        {
            errors.Add($"MaxConcurrentCalls (--maxConcurrentCalls) must be between 1 and 10000, got {MaxConcurrentCalls}");
        }

        if (MaxConcurrentCallsPerFunction is { } share && (share < 1 || share > MaxConcurrentCalls))
        {
            errors.Add($"MaxConcurrentCallsPerFunction (--maxConcurrentCallsPerFunction) must be between 1 and --maxConcurrentCalls ({MaxConcurrentCalls}), got {share}");
        }

        if (MaxQueuedCalls is < 0 or > 100_000)
        {
            errors.Add($"MaxQueuedCalls (--maxQueuedCalls) must be between 0 and 100000, got {MaxQueuedCalls}");
        }

        if (QueueTimeout < TimeSpan.Zero || QueueTimeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"QueueTimeout (--queueTimeout) must be between 0s and 10m, got {QueueTimeout}");
        }

        if (MaxCallsPerConnection is < 1 or > 100_000)
        {
            errors.Add($"MaxCallsPerConnection (--maxCallsPerConnection) must be between 1 and 100000, got {MaxCallsPerConnection}");
        }

        if (MaxFunctions < 1)
        {
            errors.Add($"MaxFunctions (--maxFunctions) must be at least 1, got {MaxFunctions}");
        }

        errors.AddRange(ModuleLimits.Validate());
        errors.AddRange(Logs.Validate());
        errors.AddRange(Retention.Validate());

        foreach (var folder in AllowFolders)
        {
            if (!Path.IsPathFullyQualified(folder))
            {
                errors.Add($"AllowFolders (--allowFolders): '{folder}' must be an absolute path");
            }
            else if (!Directory.Exists(folder))
            {
                errors.Add($"AllowFolders (--allowFolders): folder '{folder}' does not exist");
            }
        }

        errors.AddRange(Agent.Validate());
        errors.AddRange(Triggers.Validate(Agent.Enabled));
        errors.AddRange(S3Plugins?.Validate() ?? []);
        errors.AddRange(ValidateCompatibility());
        return errors;
    }
}
