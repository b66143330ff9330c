using System.Collections.Frozen;

namespace Wafer.Architecture.Tests;

/// <summary>
/// Which project under <c>src/</c> may reference which (ARCHITECTURE.md, "Components" shows the same table). References
/// run downward only: contracts at the bottom, the processes' pieces above them, the executable that composes them on
/// top. A project not listed here has no place yet and fails the check until it gets one.
/// </summary>
internal static class ProjectGraph
{
    public static FrozenDictionary<string, string[]> Allowed { get; } = new Dictionary<string, string[]>
    {
        ["Wafer.Protocol"] = [],
        ["Wafer.Storage"] = [],
        ["Wafer.Hosting"] = ["Wafer.Protocol"],
        ["Wafer.GraphQL"] = ["Wafer.Protocol", "Wafer.Hosting"],
        ["Wafer.Wasm"] = ["Wafer.Protocol"],
        ["Wafer.Triggers"] = ["Wafer.Protocol"],
        ["Wafer.Runtime"] = ["Wafer.Protocol", "Wafer.Storage", "Wafer.Hosting", "Wafer.GraphQL", "Wafer.Wasm", "Wafer.Triggers"],
        ["Wafer.Gateway"] = ["Wafer.Protocol", "Wafer.Hosting", "Wafer.GraphQL"],
        ["Wafer.ControlPlane"] = ["Wafer.Protocol", "Wafer.Storage", "Wafer.Hosting", "Wafer.Gateway", "Wafer.Triggers"],
        ["Wafer.Cli"] = ["Wafer.Protocol", "Wafer.Storage", "Wafer.Hosting", "Wafer.GraphQL", "Wafer.Wasm", "Wafer.Runtime", "Wafer.Gateway", "Wafer.ControlPlane", "Wafer.Triggers"],
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Projects that stay off the ASP.NET shared framework: contracts, storage and the Wasmtime wrapper are libraries any host can load.</summary>
    public static FrozenSet<string> WithoutAspNet { get; } = new[] { "Wafer.Protocol", "Wafer.Storage", "Wafer.Wasm", "Wafer.Triggers" }.ToFrozenSet(StringComparer.Ordinal);
}
