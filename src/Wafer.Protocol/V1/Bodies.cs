using System.Text.Json;

namespace Wafer.Protocol.V1;

// The bodies of protocol version 1 (docs/protocol.md). Required fields are non-nullable; MessageCodec
// refuses a message whose body lacks one.

/// <summary>Marker for message bodies.</summary>
public interface IMessageBody;

public sealed record Capacity(int Cores, int MemoryMb, int MaxModules);

public sealed record ModuleReport(string ModuleId, string Plugin, string Hash, string State);

public sealed record ModuleState(string ModuleId, string State)
{
    /// <summary>The module is loaded and serving.</summary>
    public const string Running = "running";

    /// <summary>The module is known but no longer served (for example displaced by a local plugin of the same name).</summary>
    public const string Failed = "failed";

    internal static readonly string[] States = [Running, Failed];
}

public sealed record Load(int InFlight, double CallsPerSec, double CpuPercent, double MemoryMb);

/// <param name="WillId">The envelope id of the last will the runtime set for this connection (an <c>offline</c> status).</param>
public sealed record AnnounceBody(
    string RuntimeId,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    Capacity Capacity,
    IReadOnlyList<string> Kinds,
    string Version,
    string Url,
    int KeepaliveSec,
    IReadOnlyList<ModuleReport> Modules,
    string? H2cUrl = null,
    string? WillId = null) : IMessageBody;

public sealed record StatusBody(string RuntimeId, string State) : IMessageBody
{
    public const string Online = "online";
    public const string Draining = "draining";
    public const string Offline = "offline";

    internal static readonly string[] States = [Online, Draining, Offline];
}

public sealed record KeepaliveBody(string RuntimeId, Load Load, IReadOnlyList<ModuleState> Modules) : IMessageBody;

public sealed record ModuleRunningBody(string? RequestId, string ModuleId, string Plugin, string Hash) : IMessageBody;

public sealed record ModuleFailedBody(string? RequestId, string ModuleId, string Reason) : IMessageBody;

public sealed record ModuleDeletedBody(string? RequestId, string ModuleId) : IMessageBody;

/// <summary>A program module's run ended (docs/silverline.md): how, and whether it starts again.</summary>
/// <param name="State">How the run ended: <c>exited</c>, <c>timed_out</c> (the manifest's <c>timeoutMs</c>), <c>wall_clock_limit</c>
/// (the module's <c>wallClockSeconds</c>), <c>failed</c> (trap, out of memory or fuel) or <c>lost</c> (the runtime stopped
/// while it ran and its policy is <c>never</c>).</param>
/// <param name="Reason">Why a run that did not exit by itself failed; null when it exited.</param>
/// <param name="Stdout">The end of its standard output, bounded.</param>
/// <param name="Stderr">The end of its standard error, bounded.</param>
/// <param name="Run">Which run this was, from 1.</param>
/// <param name="Restarting">True when the restart policy starts it again.</param>
/// <param name="RestartAt">When the next run starts, while <paramref name="Restarting"/>.</param>
public sealed record ModuleExitedBody(
    string ModuleId, int? ExitCode, string State, string? Reason, string Stdout, string Stderr, int Run, bool Restarting,
    DateTimeOffset? RestartAt = null) : IMessageBody;

/// <summary>A program module's run <paramref name="Run"/> (from 1 in this runtime process) started.</summary>
public sealed record ModuleStartedBody(string ModuleId, int Run) : IMessageBody;

public sealed record JobExitedBody(string JobId, string Plugin, int? ExitCode, string State) : IMessageBody;

public sealed record ErrorBody(string? RequestId, string Topic, string Reason) : IMessageBody;

public sealed record FatalBody(string RuntimeId, string Reason) : IMessageBody;

public sealed record CreateModuleBody(
    string ModuleId,
    string Plugin,
    string Hash,
    string ArtifactUrl,
    JsonElement Manifest,
    IReadOnlyDictionary<string, string>? Config = null,
    ProgramBody? Program = null) : IMessageBody;

public sealed record DeleteModuleBody(string ModuleId) : IMessageBody;

public sealed record DrainBody : IMessageBody;

public sealed record ShutdownBody(string Reason) : IMessageBody;

/// <param name="Signed">True when the orchestrator signs its commands and accepts only signed runtime messages (it has the fleet token).</param>
public sealed record OrchestratorStatusBody(string State, string Url, bool Signed = false) : IMessageBody
{
    public const string Online = "online";
    public const string Offline = "offline";

    internal static readonly string[] States = [Online, Offline];
}
