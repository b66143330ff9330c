namespace Wafer.ControlPlane.Artifacts;

/// <summary>
/// An upload that could not be written to the artifact store, so nothing was stored; <see cref="DiskFull"/> when the
/// disk was the reason (it becomes a 507 problem, anything else a 500).
/// </summary>
public sealed class ArtifactNotStoredException(string message, bool diskFull, Exception inner) : Exception(message, inner)
{
    public bool DiskFull { get; } = diskFull;
}
