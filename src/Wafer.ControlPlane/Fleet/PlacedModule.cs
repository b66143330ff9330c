namespace Wafer.ControlPlane.Fleet;

/// <summary>
/// One replica of a deployment placed on one runtime (SilverLine's "module"). The plugin it runs is named after
/// <see cref="Deployment"/>; <see cref="RequestId"/> is the id of the last command sent about it.
/// </summary>
internal sealed record PlacedModule(
    string Id,
    string Deployment,
    string Hash,
    string RuntimeId,
    ModuleStatus Status,
    string? Reason,
    string RequestId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Pending, running or being deleted: it occupies its runtime.</summary>
    public bool Occupies => Status != ModuleStatus.Failed;
}
