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

    public static PluginManifest ForName(string name) => new() { Name = name };
}
