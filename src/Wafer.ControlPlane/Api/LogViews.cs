using System.Text.Json.Serialization;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// One call log line, from the runtime that wrote it: a guest's line, or the record of a failed call, which has its
/// <see cref="Cause"/> (<c>timeout</c>, <c>trap</c>, …).
/// </summary>
internal sealed record LogLineView(
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("runtimeName")] string RuntimeName,
    [property: JsonPropertyName("time")] DateTimeOffset Time,
    [property: JsonPropertyName("callId")] string CallId,
    [property: JsonPropertyName("plugin")] string Plugin,
    [property: JsonPropertyName("function")] string Function,
    [property: JsonPropertyName("level")] string Level,
    [property: JsonPropertyName("message")] string Message,
    [property: JsonPropertyName("cause")] string? Cause = null);

/// <summary>A runtime whose logs could not be fetched, and why.</summary>
internal sealed record LogSourceError(
    [property: JsonPropertyName("runtime")] string Runtime,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary><c>GET /api/deployments/{name}/logs</c>: lines from every runtime hosting it, oldest first.</summary>
internal sealed record DeploymentLogs(
    [property: JsonPropertyName("deployment")] string Deployment,
    [property: JsonPropertyName("lines")] IReadOnlyList<LogLineView> Lines,
    [property: JsonPropertyName("errors")] IReadOnlyList<LogSourceError> Errors);
