using System.Text.Json.Serialization;
using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// A runtime: SilverLine's fields (<c>uuid</c>, <c>name</c>, <c>runtime_type</c>, <c>apis</c>, <c>ka_interval_sec</c>,
/// <c>page_size</c>, <c>aot_target</c>, <c>metadata</c>, <c>alive</c>, <c>children</c>) followed by Wafer's.
/// <c>url</c> and <c>h2cUrl</c> are null for a caller without the orchestrator's token.
/// </summary>
/// <param name="ControlLostAt">Since when the control channel has lost the runtime while it still answers its health check; null when it has not.</param>
internal sealed record RuntimeView(
    [property: JsonPropertyName("uuid")] string Uuid,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("runtime_type")] string RuntimeType,
    [property: JsonPropertyName("apis")] IReadOnlyList<string> Apis,
    [property: JsonPropertyName("ka_interval_sec")] int KaIntervalSec,
    [property: JsonPropertyName("page_size")] int PageSize,
    [property: JsonPropertyName("aot_target")] string AotTarget,
    [property: JsonPropertyName("metadata")] IReadOnlyDictionary<string, string> Metadata,
    [property: JsonPropertyName("alive")] bool Alive,
    [property: JsonPropertyName("children")] IReadOnlyList<ChildView> Children,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("url")] string? Url,
    [property: JsonPropertyName("h2cUrl")] string? H2cUrl,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("labels")] IReadOnlyDictionary<string, string> Labels,
    [property: JsonPropertyName("capacity")] Capacity Capacity,
    [property: JsonPropertyName("load")] Load? Load,
    [property: JsonPropertyName("moduleCount")] int ModuleCount,
    [property: JsonPropertyName("drainRequested")] bool DrainRequested,
    [property: JsonPropertyName("shutdownSent")] bool ShutdownSent,
    [property: JsonPropertyName("firstSeen")] DateTimeOffset FirstSeen,
    [property: JsonPropertyName("lastSeen")] DateTimeOffset LastSeen,
    [property: JsonPropertyName("controlLostAt")] DateTimeOffset? ControlLostAt = null);
