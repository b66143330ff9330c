using Wafer.ControlPlane.Fleet;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>The latest published <see cref="FleetSnapshot"/>: one volatile read, never half an update.</summary>
public sealed class FleetView
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile FleetSnapshot _current = FleetSnapshot.Empty;

    public FleetSnapshot Current => _current;

    /// <summary>True once the stored state has been loaded.</summary>
    public bool IsReady => _ready.Task.IsCompleted;

    public Task Ready => _ready.Task;

    internal void Publish(FleetSnapshot snapshot) => _current = snapshot;

    internal void MarkReady() => _ready.TrySetResult();
}
