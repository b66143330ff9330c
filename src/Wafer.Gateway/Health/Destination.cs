namespace Wafer.Gateway.Health;

/// <summary>
/// One runtime as a forwarding target, shared by every deployment it serves and kept across route snapshots so
/// its health survives them. Healthy unless a transport failure put it aside for a while (passive) or its last
/// probes of <c>/healthz</c> failed (active).
/// </summary>
public sealed class Destination
{
    /// <summary>Consecutive failed probes after which the destination is taken for down until a probe succeeds.</summary>
    public const int ProbeFailuresToDown = 2;

    /// <summary>
    /// Calls already in flight to this runtime from which the next goes over HTTP/2 (h2c). Alone or in pairs, calls are
    /// answered sooner over HTTP/1.1 (fewer hand-offs between threads on both sides); from about three at once,
    /// HTTP/2's shared connection carries several calls per socket read and write and costs both sides less CPU
    /// per call (docs/benchmarks.md, "Gateway").
    /// </summary>
    public const int MultiplexFrom = 2;

    /// <summary>
    /// How long calls keep going over h2c after calls last piled up (<see cref="MultiplexFrom"/>). Under steady load the
    /// count in flight dips below the threshold now and then; sending those calls over HTTP/1.1 took them off the
    /// shared connection and cost the gateway about 2 µs more per call (docs/benchmarks.md, "Gateway").
    /// </summary>
    public static readonly TimeSpan MultiplexHold = TimeSpan.FromMilliseconds(100);

    /// <summary>How long h2c stays unused after a transport failure on it (calls go over HTTP/1.1 meanwhile).</summary>
    public static readonly TimeSpan H2cPause = TimeSpan.FromSeconds(30);

    private long _asideUntil;
    private int _probeFailures;
    private int _inFlight;
    private long _h2cPausedUntil;
    private long _multiplexUntil;
    private long _callProtocolPausedUntil;

    public Destination(string runtimeId, string runtimeName, string url, string? h2cUrl = null)
    {
        RuntimeId = runtimeId;
        RuntimeName = runtimeName;
        Prefix = url.TrimEnd('/');
        H2cPrefix = h2cUrl?.TrimEnd('/');
    }

    public string RuntimeId { get; }

    public string RuntimeName { get; }

    /// <summary>The runtime's base URL without a trailing slash.</summary>
    public string Prefix { get; }

    /// <summary>The base URL of the runtime's HTTP/2 cleartext listener; null when it announced none.</summary>
    public string? H2cPrefix { get; }

    /// <summary>Function calls sent to this runtime and not yet answered through this gateway.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Counts a call in flight until the returned scope is disposed, and says how to send it: over h2c when the
    /// runtime has it, it is not paused, and at least <see cref="MultiplexFrom"/> other calls are in flight or were
    /// within <see cref="MultiplexHold"/>.
    /// </summary>
    public CallScope BeginCall()
    {
        var others = Interlocked.Increment(ref _inFlight) - 1;
        if (H2cPrefix is null)
        {
            return new CallScope(this, false);
        }

        var now = Environment.TickCount64;
        if (others >= MultiplexFrom)
        {
            Volatile.Write(ref _multiplexUntil, now + (long)MultiplexHold.TotalMilliseconds);
        }

        var h2c = now < Volatile.Read(ref _multiplexUntil) && now >= Volatile.Read(ref _h2cPausedUntil);
        return new CallScope(this, h2c);
    }

    /// <summary>A transport failure on h2c: send over HTTP/1.1 for <see cref="H2cPause"/>.</summary>
    public void PauseH2c() => Volatile.Write(ref _h2cPausedUntil, Environment.TickCount64 + (long)H2cPause.TotalMilliseconds);

    /// <summary>
    /// False for a while after the runtime's h2c port answered without the call protocol (an older runtime): its
    /// calls go over HTTP meanwhile.
    /// </summary>
    public bool SpeaksCallProtocol => Environment.TickCount64 >= Volatile.Read(ref _callProtocolPausedUntil);

    /// <summary>The h2c port does not speak the call protocol: send calls over HTTP for <see cref="H2cPause"/>.</summary>
    public void PauseCallProtocol() => Volatile.Write(ref _callProtocolPausedUntil, Environment.TickCount64 + (long)H2cPause.TotalMilliseconds);

    public bool IsHealthy(long nowMs) =>
        Volatile.Read(ref _probeFailures) < ProbeFailuresToDown && nowMs >= Volatile.Read(ref _asideUntil);

    /// <summary>Passive health: a request could not reach it; skip it for <paramref name="duration"/>.</summary>
    public void PutAside(TimeSpan duration) =>
        Volatile.Write(ref _asideUntil, Environment.TickCount64 + (long)duration.TotalMilliseconds);

    /// <summary>One call in flight (see <see cref="BeginCall"/>).</summary>
    public readonly struct CallScope(Destination destination, bool h2c) : IDisposable
    {
        /// <summary>True to send the call over HTTP/2 to <see cref="Destination.H2cPrefix"/>.</summary>
        public bool H2c => h2c;

        public void Dispose() => Interlocked.Decrement(ref destination._inFlight);
    }

    /// <summary>Active health: the outcome of one probe.</summary>
    public void ReportProbe(bool ok)
    {
        if (ok)
        {
            Volatile.Write(ref _probeFailures, 0);
            Volatile.Write(ref _asideUntil, 0);
        }
        else
        {
            Interlocked.Increment(ref _probeFailures);
        }
    }
}
