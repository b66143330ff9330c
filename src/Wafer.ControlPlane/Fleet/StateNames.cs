namespace Wafer.ControlPlane.Fleet;

/// <summary>The lower-case names states have in the store and the REST API.</summary>
internal static class StateNames
{
    public static string Of(RuntimeState state) => state switch
    {
        Fleet.RuntimeState.Online => "online",
        Fleet.RuntimeState.Draining => "draining",
        _ => "offline",
    };

    public static string Of(ModuleStatus status) => status switch
    {
        Fleet.ModuleStatus.Pending => "pending",
        Fleet.ModuleStatus.Running => "running",
        Fleet.ModuleStatus.Failed => "failed",
        _ => "deleting",
    };

    public static RuntimeState ParseRuntimeState(string name) => name switch
    {
        "online" => Fleet.RuntimeState.Online,
        "draining" => Fleet.RuntimeState.Draining,
        _ => Fleet.RuntimeState.Offline,
    };

    public static ModuleStatus ParseModuleStatus(string name) => name switch
    {
        "pending" => Fleet.ModuleStatus.Pending,
        "running" => Fleet.ModuleStatus.Running,
        "failed" => Fleet.ModuleStatus.Failed,
        _ => Fleet.ModuleStatus.Deleting,
    };
}
