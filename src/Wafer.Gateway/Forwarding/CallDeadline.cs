namespace Wafer.Gateway.Forwarding;

/// <summary>
/// One request's end: the caller going away (<see cref="Aborted"/>) or <c>CallTimeout</c> passing on the gateway's
/// <see cref="TimeProvider"/>, whichever comes first, as one token; and which of the two it was.
/// </summary>
internal sealed class CallDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationTokenRegistration _abort;

    public CallDeadline(TimeSpan timeout, TimeProvider time, CancellationToken aborted)
    {
        Aborted = aborted;
        _source = new CancellationTokenSource(timeout, time);
        _abort = aborted.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _source);
    }

    /// <summary>The caller's token (its request aborted).</summary>
    public CancellationToken Aborted { get; }

    /// <summary>Cancelled when the caller goes away or the time is up.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>True when the time ran out while the caller was still there.</summary>
    public bool TimedOut => _source.IsCancellationRequested && !Aborted.IsCancellationRequested;

    public void Dispose()
    {
        _abort.Dispose();
        _source.Dispose();
    }
}
