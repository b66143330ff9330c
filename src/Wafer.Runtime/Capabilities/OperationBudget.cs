namespace Wafer.Runtime.Capabilities;

/// <summary>The time one capability operation may take, as a cancellation token, and what set the limit.</summary>
public sealed class OperationBudget(TimeSpan limit, string reason) : IDisposable
{
    private readonly CancellationTokenSource _source = new(limit);

    public TimeSpan Limit => limit;

    /// <summary>For messages: "the connection's timeoutMs (2000 ms)" or "the call's remaining time (120 ms)".</summary>
    public string Reason => reason;

    public CancellationToken Token => _source.Token;

    public bool Expired => _source.IsCancellationRequested;

    /// <summary>Whole seconds, at least 1, for APIs that take seconds (Npgsql's command timeout).</summary>
    public int Seconds => Math.Max(1, (int)Math.Ceiling(limit.TotalSeconds));

    public void Dispose() => _source.Dispose();
}
