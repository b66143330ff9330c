using System.Text.Json.Serialization;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// A deployment: what was asked for, how far the fleet is, and its modules. <c>artifactUrl</c> is null for a caller
/// without the orchestrator's token.
/// </summary>
internal sealed record DeploymentView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("plugin")] string Plugin,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("replicas")] int Replicas,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string> Labels,
    [property: JsonPropertyName("config")] IReadOnlyDictionary<string, string> Config,
    [property: JsonPropertyName("artifactUrl")] string? ArtifactUrl,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updatedAt")] DateTimeOffset UpdatedAt,
    [property: JsonPropertyName("status")] DeploymentStatusView Status,
    [property: JsonPropertyName("modules")] IReadOnlyList<ModuleView> Modules)
{
    /// <summary>What the deploy that answered this should tell its caller (e.g. function names it shadows); absent otherwise.</summary>
    [JsonPropertyName("warnings")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Warnings { get; init; }
}

/// <summary>
/// Progress of a deployment. <c>state</c>: <c>running</c> (all replicas of the current version run), <c>progressing</c>
/// (replicas are being created), <c>degraded</c> (some run, the rest cannot be placed now) or <c>unavailable</c>
/// (none runs and none is being created). <c>reason</c> says why not all replicas run.
/// </summary>
internal sealed record DeploymentStatusView(
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("desired")] int Desired,
    [property: JsonPropertyName("running")] int Running,
    [property: JsonPropertyName("pending")] int Pending,
    [property: JsonPropertyName("failed")] int Failed,
    [property: JsonPropertyName("reason")] string? Reason);
