namespace Wafer.ControlPlane.Artifacts;

/// <summary>An uploaded plugin was refused; the message says why (it becomes a 400 problem).</summary>
internal sealed class ArtifactRejectedException(string message) : Exception(message);
