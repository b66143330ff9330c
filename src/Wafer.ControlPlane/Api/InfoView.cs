using System.Text.Json.Serialization;

namespace Wafer.ControlPlane.Api;

/// <summary>The answer of <c>GET /api/info</c>.</summary>
internal sealed record InfoView(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("controlNeedsToken")] bool ControlNeedsToken);
