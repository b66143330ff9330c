namespace Wafer.Gateway.Health;

/// <summary>
/// One runtime as a forwarding target, shared by every deployment it serves and kept across route snapshots so its
/// health survives them. Healthy unless a call it broke put it aside for a while (passive), its last probes of
/// <c>/healthz</c> failed (active), or it stopped answering: calls in flight, no answer for a while, and a probe that
/// went unanswered too (stalled). Times are milliseconds of the gateway's clock (<see cref="GatewayClock"/>).
/// </summary>
public sealed class Destination
{
    private long _asideUntil;
    private int _probeFailures;
    private int _down;
    private int _stalled;
    private int _inFlight;
    private long _lastProgress;
    private int _probing;
    private long _probeAfter;

    public Destination(string runtimeId, string runtimeName, string url, string? callUrl = null)
    {
        RuntimeId = runtimeId;
        RuntimeName = runtimeName;
        Prefix = url.TrimEnd('/');
        CallPrefix = callUrl?.TrimEnd('/');
    }

    public string RuntimeId { get; }

    public string RuntimeName { get; }

    /// <summary>The runtime's base URL without a trailing slash.</summary>
    public string Prefix { get; }

    /// <summary>The base URL of the runtime's call port (announced as <c>h2cUrl</c>); null when it announced none.</summary>
    public string? CallPrefix { get; }

    /// <summary>Requests sent to this runtime through this gateway and not yet answered.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>True after its calls went unanswered and so did a probe (see <see cref="Stall"/>).</summary>
    public bool IsStalled => Volatile.Read(ref _stalled) != 0;

    public bool IsHealthy(long now) =>
        Volatile.Read(ref _down) == 0 && Volatile.Read(ref _stalled) == 0 && now >= Volatile.Read(ref _asideUntil);

    /// <summary>Counts a request in flight until the returned scope is disposed.</summary>
    public CallScope BeginCall(long now)
    {
        if (Interlocked.Increment(ref _inFlight) == 1)
        {
            Volatile.Write(ref _lastProgress, now); // the silence before a call is not a stall
        }

        return new CallScope(this);
    }

    /// <summary>
    /// How long it has had requests in flight without answering any (0 when none are in flight). A successful probe
    /// counts as an answer.
    /// </summary>
    public long SilentFor(long now) => InFlight == 0 ? 0 : Math.Max(0, now - Volatile.Read(ref _lastProgress));

    /// <summary>An answer came: the runtime makes progress. True when that ended a stall.</summary>
    public bool Answered(long now)
    {
        Volatile.Write(ref _lastProgress, now);
        return Volatile.Read(ref _stalled) != 0 && Interlocked.Exchange(ref _stalled, 0) != 0;
    }

    /// <summary>Passive health: a request failed by the runtime's doing; skip it until <paramref name="until"/>.</summary>
    public void PutAside(long until) => Volatile.Write(ref _asideUntil, until);

    /// <summary>Periodic probes that failed in a row (0 after a success).</summary>
    public int ProbeFailures => Volatile.Read(ref _probeFailures);

    /// <summary>True when a periodic probe is due at <paramref name="now"/> (see <see cref="PostponeProbes"/>).</summary>
    public bool ProbeDue(long now) => now >= Volatile.Read(ref _probeAfter);

    /// <summary>No periodic probe before <paramref name="until"/>: a runtime nothing answers for is tried less often.</summary>
    public void PostponeProbes(long until) => Volatile.Write(ref _probeAfter, until);

    /// <summary>
    /// A call wanted this runtime and found no healthy replica: a probe postponed because the runtime refused connections
    /// is due again, so one restarted at the same address is back within a probe interval when calls want it, not after
    /// the longest postponement. An idle deployment's dead runtime is still probed seldom.
    /// </summary>
    public void Wanted()
    {
        if (Volatile.Read(ref _probeAfter) != 0)
        {
            Volatile.Write(ref _probeAfter, 0);
        }
    }

    /// <summary>Takes the one probe slot; false when a probe is already running.</summary>
    public bool TryBeginProbe() => Interlocked.CompareExchange(ref _probing, 1, 0) == 0;

    /// <summary>Gives the probe slot back without a verdict (the gateway is stopping).</summary>
    public void ProbeAbandoned() => Volatile.Write(ref _probing, 0);

    /// <summary>Active health: a probe was answered. True when the destination was unhealthy before.</summary>
    public bool ProbeSucceeded(long now)
    {
        var wasHealthy = IsHealthy(now);
        Volatile.Write(ref _probeFailures, 0);
        Volatile.Write(ref _down, 0);
        Volatile.Write(ref _stalled, 0);
        Volatile.Write(ref _asideUntil, 0);
        Volatile.Write(ref _lastProgress, now);
        Volatile.Write(ref _probeAfter, 0);
        Volatile.Write(ref _probing, 0);
        return !wasHealthy;
    }

    /// <summary>Active health: a periodic probe failed. True when that made it down (<paramref name="failuresToDown"/> in a row).</summary>
    public bool ProbeFailed(int failuresToDown)
    {
        var failures = Interlocked.Increment(ref _probeFailures);
        Volatile.Write(ref _probing, 0);
        return failures >= failuresToDown && Interlocked.Exchange(ref _down, 1) == 0;
    }

    /// <summary>
    /// A probe sent at <paramref name="probedAt"/> because its calls went unanswered went unanswered too. It stalls unless
    /// one of its calls was answered meanwhile (a runtime too busy to answer a probe in time, not a hung one). True when
    /// that began a stall.
    /// </summary>
    public bool Stall(long probedAt)
    {
        Volatile.Write(ref _probing, 0);
        return Volatile.Read(ref _lastProgress) <= probedAt && Interlocked.Exchange(ref _stalled, 1) == 0;
    }

    /// <summary>One request in flight (see <see cref="BeginCall"/>).</summary>
    public readonly struct CallScope(Destination destination) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref destination._inFlight);
    }
}
