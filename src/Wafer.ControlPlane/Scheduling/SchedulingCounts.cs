namespace Wafer.ControlPlane.Scheduling;

/// <summary>Scheduling passes since start: how many, how many over the whole fleet, and the deployments they reconciled.</summary>
internal sealed class SchedulingCounts
{
    private long _passes;
    private long _fullPasses;
    private long _deployments;

    public long Passes => Interlocked.Read(ref _passes);

    public long FullPasses => Interlocked.Read(ref _fullPasses);

    /// <summary>Deployments reconciled, summed over every pass.</summary>
    public long Deployments => Interlocked.Read(ref _deployments);

    internal void Record(int deployments, bool full)
    {
        Interlocked.Increment(ref _passes);
        Interlocked.Add(ref _deployments, deployments);
        if (full)
        {
            Interlocked.Increment(ref _fullPasses);
        }
    }
}
