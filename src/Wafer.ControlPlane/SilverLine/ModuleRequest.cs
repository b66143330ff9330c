using Wafer.Protocol.V1;

namespace Wafer.ControlPlane.SilverLine;

/// <summary>A SilverLine "create module" request after reading (docs/silverline.md), from REST or <c>{realm}/proc/control</c>.</summary>
/// <param name="Uuid">The module's id; null lets the orchestrator choose one.</param>
/// <param name="Name">A label; null takes the file's name.</param>
/// <param name="File">The artifact: a SHA-256 hash, or a name (a deployment's, or an uploaded manifest's).</param>
/// <param name="Parent">The runtime's uuid or name; null lets the scheduler choose.</param>
internal sealed record ModuleRequest(string? Uuid, string? Name, string File, string? Parent, IReadOnlyList<string> Apis, ProgramBody Program);

/// <summary>
/// Why a request was refused, as SilverLine reports it on <c>{realm}/proc/log/orchestrator</c>: <see cref="Desc"/> is
/// one of SilverLine's descriptions (<c>missing field</c>, <c>invalid Runtime Name/UUID</c>, …) and <see cref="Data"/>
/// says exactly what is wrong. <see cref="Kind"/> picks the REST status.
/// </summary>
internal sealed record ModuleRefusal(ModuleRefusalKind Kind, string Desc, string Data)
{
    public override string ToString() => $"{Desc}: {Data}";

    public static ModuleRefusal Invalid(string desc, string data) => new(ModuleRefusalKind.Invalid, desc, data);
}

internal enum ModuleRefusalKind
{
    /// <summary>400.</summary>
    Invalid,

    /// <summary>404: no such module.</summary>
    NotFound,

    /// <summary>409: the uuid is taken, or the module belongs to a deployment.</summary>
    Conflict,

    /// <summary>503: the orchestrator did not take it in time.</summary>
    Unavailable,
}
