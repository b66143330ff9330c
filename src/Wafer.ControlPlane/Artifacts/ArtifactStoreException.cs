namespace Wafer.ControlPlane.Artifacts;

/// <summary>The artifact store could not do what was asked; the message names the store and the reason.</summary>
internal sealed class ArtifactStoreException(string message, ArtifactStoreFault fault, Exception? inner = null) : Exception(message, inner)
{
    public ArtifactStoreFault Fault { get; } = fault;
}
