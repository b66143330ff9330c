using System.Text.Json.Serialization;

namespace Wafer.ControlPlane.Api;

/// <summary>
/// A module (one replica on one runtime): SilverLine's fields (<c>uuid</c>, <c>name</c>, <c>parent</c>, <c>filename</c>,
/// <c>filetype</c>, <c>apis</c>, <c>args</c>, <c>env</c>, <c>channels</c>, <c>peripherals</c>, <c>resources</c>,
/// <c>alive</c>) followed by Wafer's. <c>runtimeUrl</c> and <c>artifactUrl</c> are null for a caller without the
/// orchestrator's token, and URLs in <c>reason</c> are hidden. <c>args</c>, <c>env</c> and <c>channels</c> are a program
/// module's (docs/silverline.md); a replica of a deployment has none.
/// </summary>
internal sealed record ModuleView(
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

    /// <summary>A program module's wall-clock limit per run, in seconds; null when it has none.</summary>
    [JsonPropertyName("wallClockSeconds")]
    public int? WallClockSeconds { get; init; }

    /// <summary>A program module's last run (from 1, as its runtime counts them); null before the first starts.</summary>
    [JsonPropertyName("run")]
    public int? Run { get; init; }

    /// <summary>The exit code of a program module's last run, once it has exited.</summary>
    [JsonPropertyName("exitCode")]
    public int? ExitCode { get; init; }

    /// <summary>How a program module's last run ended: <c>exited</c>, <c>timed_out</c>, <c>wall_clock_limit</c>, <c>failed</c>, <c>lost</c> or <c>drained</c>.</summary>
    [JsonPropertyName("ended")]
    public string? Ended { get; init; }

    /// <summary>When a <c>restarting</c> program module's next run starts.</summary>
    [JsonPropertyName("nextAttemptAt")]
    public DateTimeOffset? NextAttemptAt { get; init; }
}
