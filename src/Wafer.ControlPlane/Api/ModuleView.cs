using System.Text.Json.Serialization;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// A module (one replica on one runtime): SilverLine's fields (<c>uuid</c>, <c>name</c>, <c>parent</c>, <c>filename</c>,
/// <c>filetype</c>, <c>apis</c>, <c>args</c>, <c>env</c>, <c>channels</c>, <c>peripherals</c>, <c>resources</c>,
/// <c>alive</c>) followed by Wafer's. <c>runtimeUrl</c> and <c>artifactUrl</c> are null for a caller without the
/// orchestrator's token, and URLs in <c>reason</c> are hidden. <c>args</c>, <c>env</c> and <c>channels</c> are a program
/// module's (docs/silverline.md); a replica of a deployment has none.
/// </summary>
public sealed record ModuleView(
    [property: JsonPropertyName("uuid")] string Uuid,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("parent")] string Parent,
    [property: JsonPropertyName("filename")] string Filename,
    [property: JsonPropertyName("filetype")] string Filetype,
    [property: JsonPropertyName("apis")] IReadOnlyList<string> Apis,
    [property: JsonPropertyName("args")] IReadOnlyList<string> Args,
    [property: JsonPropertyName("env")] IReadOnlyList<string> Env,
    [property: JsonPropertyName("channels")] IReadOnlyList<Wafer.Protocol.V1.ChannelBody> Channels,
    [property: JsonPropertyName("peripherals")] IReadOnlyList<string> Peripherals,
    [property: JsonPropertyName("resources")] object? Resources,
    [property: JsonPropertyName("alive")] bool Alive,
    [property: JsonPropertyName("deployment")] string Deployment,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("reason")] string? Reason,
    [property: JsonPropertyName("runtimeName")] string? RuntimeName,
    [property: JsonPropertyName("runtimeUrl")] string? RuntimeUrl,
    [property: JsonPropertyName("artifactUrl")] string? ArtifactUrl,
    [property: JsonPropertyName("createdAt")] DateTimeOffset CreatedAt,
    [property: JsonPropertyName("updatedAt")] DateTimeOffset UpdatedAt)
{
    /// <summary>A program module's restart policy (docs/silverline.md); null for a replica of a deployment.</summary>
    [JsonPropertyName("restart")]
    public string? Restart { get; init; }
}
