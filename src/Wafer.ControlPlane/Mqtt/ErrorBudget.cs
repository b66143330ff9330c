namespace Wafer.ControlPlane.Mqtt;

/// <summary>
/// A token bucket that bounds how many <c>error</c> messages the orchestrator publishes per second, so a flood of
/// hostile messages cannot make it flood the broker in return. Refusals beyond it are still logged.
/// </summary>
internal sealed class ErrorBudget(int perSecond, TimeProvider time)
{
    private readonly Lock _lock = new();
    private double _tokens = perSecond;
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            _tokens = Math.Min(perSecond, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * perSecond);
            _last = now;
            if (_tokens < 1)
            {
                return false;
            }

            _tokens--;
            return true;
        }
    }
}
