using System.Text.Json.Serialization;

namespace Wafer.ControlPlane.Api;

/// <summary><c>GET /api/runtimes</c> (SilverLine's <c>{"runtimes": […]}</c>, plus a count).</summary>
internal sealed record RuntimeList(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("runtimes")] IReadOnlyList<RuntimeView> Runtimes);

/// <summary><c>GET /api/modules</c> (SilverLine's <c>{"modules": […]}</c>, plus a count).</summary>
internal sealed record ModuleList(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("modules")] IReadOnlyList<ModuleView> Modules);

/// <summary><c>GET /api/deployments</c>.</summary>
internal sealed record DeploymentList(
    [property: JsonPropertyName("count")] int Count,
    [property: JsonPropertyName("deployments")] IReadOnlyList<DeploymentView> Deployments);

/// <summary>The answer to <c>DELETE /api/deployments/{name}</c>: its modules are being deleted.</summary>
internal sealed record StoppedView(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("stopped")] bool Stopped);

/// <summary>The answer to <c>POST /api/artifacts</c>.</summary>
internal sealed record ArtifactView(
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("hasManifest")] bool HasManifest);
