using Wafer.ControlPlane.Fleet;

namespace Wafer.ControlPlane.Scheduling;

/// <summary>The latest published <see cref="FleetSnapshot"/>: one volatile read, never half an update.</summary>
internal sealed class FleetView
{
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile FleetSnapshot _current = FleetSnapshot.Empty;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public FleetSnapshot Current => _current;

    /// <summary>True once the stored state has been loaded.</summary>
    public bool IsReady => _ready.Task.IsCompleted;

    public Task Ready => _ready.Task;

    /// <summary>Completes when the next snapshot is published (the gateway's route feed waits on it).</summary>
    public Task Changed => Volatile.Read(ref _changed).Task;

    internal void Publish(FleetSnapshot snapshot)
    {
        _current = snapshot;
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    internal void MarkReady() => _ready.TrySetResult();
}
