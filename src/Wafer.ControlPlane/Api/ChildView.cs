using System.Text.Json.Serialization;

namespace Wafer.ControlPlane.Api;

/// <summary>A module in a runtime's <c>children</c> (SilverLine's shape).</summary>
internal sealed record ChildView(
    [property: JsonPropertyName("uuid")] string Uuid,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("parent")] string Parent,
    [property: JsonPropertyName("filename")] string Filename,
    [property: JsonPropertyName("state")] string State);
