namespace Wafer.Wasm.Invocation;

/// <summary>Idle instances of one module with <c>reuseInstances</c>: taken for one call at a time, then returned.</summary>
internal sealed class InstancePool(int capacity) : IDisposable
{
    private readonly Stack<GuestInstance> _idle = new();
    private bool _disposed;

    public GuestInstance? TryTake()
    {
        lock (_idle)
        {
            return _idle.TryPop(out var instance) ? instance : null;
        }
    }

    /// <summary>Keeps a healthy instance for the next call, or disposes it when the pool is full or closed.</summary>
    public void Return(GuestInstance instance)
    {
        lock (_idle)
        {
            if (!_disposed && _idle.Count < capacity)
            {
                _idle.Push(instance);
                return;
            }
        }

        instance.Dispose();
    }

    public void Dispose()
    {
        GuestInstance[] idle;
        lock (_idle)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }

        foreach (var instance in idle)
        {
            instance.Dispose();
        }
    }
}
