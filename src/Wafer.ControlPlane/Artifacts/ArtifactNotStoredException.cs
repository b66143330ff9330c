namespace Wafer.ControlPlane.Artifacts;

/// <summary>
/// An upload that could not be written to the artifact store, so nothing was stored; <see cref="Fault"/> says why (a full
/// disk becomes a 507 problem, an unreachable store a 503, anything else a 500).
/// </summary>
internal sealed class ArtifactNotStoredException(string message, ArtifactStoreFault fault, Exception inner) : Exception(message, inner)
{
    public ArtifactNotStoredException(string message, bool diskFull, Exception inner)
        : this(message, diskFull ? ArtifactStoreFault.DiskFull : ArtifactStoreFault.Failed, inner)
    {
    }

    public ArtifactStoreFault Fault { get; } = fault;

    public bool DiskFull => Fault == ArtifactStoreFault.DiskFull;
}
