namespace Wafer.ControlPlane.Fleet;

/// <summary>A runtime as the orchestrator sees it.</summary>
internal enum RuntimeState
{
    /// <summary>Connected and accepting new modules.</summary>
    Online,

    /// <summary>Connected but getting nothing new; its modules move away, then it is granted shutdown.</summary>
    Draining,

    /// <summary>Gone: its last will arrived, it said so, or it missed its keepalives.</summary>
    Offline,
}
