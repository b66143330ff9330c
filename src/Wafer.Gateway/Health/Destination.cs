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

    private long _asideUntil;
    private int _probeFailures;

    public Destination(string runtimeId, string runtimeName, string url)
    {
        RuntimeId = runtimeId;
        RuntimeName = runtimeName;
        Prefix = url.TrimEnd('/');
    }

    public string RuntimeId { get; }

    public string RuntimeName { get; }

    /// <summary>The runtime's base URL without a trailing slash.</summary>
    public string Prefix { get; }

    public bool IsHealthy(long nowMs) =>
        Volatile.Read(ref _probeFailures) < ProbeFailuresToDown && nowMs >= Volatile.Read(ref _asideUntil);

    /// <summary>Passive health: a request could not reach it; skip it for <paramref name="duration"/>.</summary>
    public void PutAside(TimeSpan duration) =>
        Volatile.Write(ref _asideUntil, Environment.TickCount64 + (long)duration.TotalMilliseconds);

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
