using Wafer.ControlPlane.Fleet;

namespace Wafer.ControlPlane.Store;

/// <summary>Everything the orchestrator persisted, as loaded at start.</summary>
internal sealed record StoredFleet(
    IReadOnlyList<Deployment> Deployments,
    IReadOnlyList<RuntimeNode> Runtimes,
    IReadOnlyList<PlacedModule> Modules);
