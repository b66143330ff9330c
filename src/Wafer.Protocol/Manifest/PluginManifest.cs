namespace Wafer.Protocol.Manifest;

/// <summary>A plugin's <c>wafer.json</c> (docs/manifest.md), validated.</summary>
public sealed record PluginManifest
{
    public const string FileName = "wafer.json";

    /// <summary>The plugin's name: <c>[a-z0-9][a-z0-9-_]*</c>; the wasm file and REST paths use it.</summary>
    public required string Name { get; init; }

    /// <summary>Free-text version shown in introspection; plugin versions are identified by content hash.</summary>
    public string? Version { get; init; }

    /// <summary>Where a project folder's build output lives, relative to the manifest.</summary>
    public string? Wasm { get; init; }

    /// <summary>Opt into keeping warm instances between calls (docs/abi.md §5).</summary>
    public bool ReuseInstances { get; init; }

    public PluginLimits Limits { get; init; } = PluginLimits.Default;

    /// <summary>Typed functions (the default) or a WASI command module run as jobs and HTTP handlers.</summary>
    public PluginType Type { get; init; } = PluginType.Functions;

    /// <summary>Command plugins only: the one host folder the guest sees as <c>/data</c>; null means no filesystem.</summary>
    public GrantedFolder? Files { get; init; }

    /// <summary>Command plugins only: HTTP paths served with the WAGI convention.</summary>
    public ValueList<PluginRoute> Routes { get; init; } = ValueList<PluginRoute>.Empty;

    /// <summary>Named ways out of the sandbox (<c>http</c>, <c>postgresql</c>, <c>graphql</c>), with secret placeholders as written.</summary>
    public ManifestMap<ConnectionSpec> Connections { get; init; } = ManifestMap<ConnectionSpec>.Empty;

    /// <summary>Named AI models, each served by an <c>http</c> connection.</summary>
    public ManifestMap<ModelSpec> Models { get; init; } = ManifestMap<ModelSpec>.Empty;

    /// <summary>Non-secret configuration values for <c>config.get</c>.</summary>
    public ManifestMap<string> Config { get; init; } = ManifestMap<string>.Empty;

    /// <summary>Dgraph Lambda resolver names (<c>Type.field</c>) mapped to function names (docs/dgraph-lambda.md).</summary>
    public ManifestMap<string> Resolvers { get; init; } = ManifestMap<string>.Empty;

    /// <summary>
    /// Prefixes of the variables that hold connection secrets, tried in order: <c>WAFER_</c> for Wafer plugins,
    /// <c>MODUS_</c> then <c>HYPERMODE_</c> for Modus apps (<c>&lt;PREFIX&gt;&lt;CONNECTION&gt;_&lt;SECRET&gt;</c>).
    /// </summary>
    public ValueList<string> SecretPrefixes { get; init; } = DefaultSecretPrefixes;

    /// <summary>
    /// A Modus app's <c>modus.json</c> (compact JSON), carried under the key <c>modus</c> so a Modus app deploys like
    /// any plugin and can be given limits; null for a Wafer plugin (docs/modus.md).
    /// </summary>
    public string? Modus { get; init; }

    /// <summary>MQTT topics and cron schedules that call the plugin's functions or start its jobs (docs/manifest.md, "Triggers").</summary>
    public ValueList<TriggerSpec> Triggers { get; init; } = ValueList<TriggerSpec>.Empty;

    public static readonly ValueList<string> DefaultSecretPrefixes = new([SecretTemplate.VariablePrefix]);

    public static PluginManifest ForName(string name) => new() { Name = name };
}
