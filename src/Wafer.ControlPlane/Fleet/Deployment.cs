using System.Collections.Immutable;

namespace Wafer.ControlPlane.Fleet;

/// <summary>
/// Desired state: <see cref="Replicas"/> modules of one plugin version (<see cref="Hash"/>, the SHA-256 of its wasm)
/// on runtimes whose labels include every one of <see cref="Labels"/>. The plugin is named after the deployment.
/// </summary>
/// <param name="Manifest">The plugin's <c>wafer.json</c>, as JSON text, sent with every <c>create_module</c>.</param>
/// <param name="Kind">What a runtime must support to host it (announce <c>kinds</c>): functions, jobs or http.</param>
/// <param name="Config">Per-deployment configuration passed to the runtime in <c>create_module</c>.</param>
internal sealed record Deployment(
    string Name,
    string Hash,
    string Manifest,
    string Kind,
    int Replicas,
    ImmutableSortedDictionary<string, string> Labels,
    ImmutableSortedDictionary<string, string> Config,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public const int MaxReplicas = 1000;

    /// <summary>Set for a SilverLine module (<c>POST /api/modules</c>, <c>{realm}/proc/control</c>): one program to run.</summary>
    public ProgramSpec? Program { get; init; }

    public const string FunctionsKind = "functions";

    /// <summary>True when a runtime with <paramref name="labels"/> satisfies every constraint.</summary>
    public bool Accepts(IReadOnlyDictionary<string, string> labels) =>
        Labels.All(c => labels.TryGetValue(c.Key, out var value) && value == c.Value);
}
