namespace Wafer.ControlPlane.Fleet;

/// <summary>Where one placed module is in its life.</summary>
internal enum ModuleStatus
{
    /// <summary><c>create_module</c> sent; waiting for <c>module_running</c> or <c>module_failed</c>.</summary>
    Pending,

    /// <summary>The runtime reported it running.</summary>
    Running,

    /// <summary>The runtime reported it could not load it (the reason is kept); kept for display, not counted.</summary>
    Failed,

    /// <summary><c>delete_module</c> sent; waiting for <c>module_deleted</c>.</summary>
    Deleting,
}
