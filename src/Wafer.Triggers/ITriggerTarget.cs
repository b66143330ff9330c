namespace Wafer.Triggers;

/// <summary>
/// Where a trigger's calls go: the functions and jobs of this process's runtime, or of the fleet through its gateway.
/// Either way a call is answered as <c>POST /functions/PLUGIN/NAME</c> or <c>POST /jobs</c> would answer it.
/// </summary>
public interface ITriggerTarget
{
    /// <summary>Calls <paramref name="function"/> of <paramref name="plugin"/> with a JSON object of named arguments.</summary>
    ValueTask<TriggerAnswer> CallAsync(string plugin, string function, ReadOnlyMemory<byte> argumentsJson, CancellationToken cancellationToken);

    /// <summary>Starts a job with the body of <c>POST /jobs</c>.</summary>
    ValueTask<TriggerAnswer> StartJobAsync(ReadOnlyMemory<byte> jobJson, CancellationToken cancellationToken);
}

/// <summary>An HTTP answer: the status and the body (<c>{"result": …}</c>, a job's id, or a problem).</summary>
public sealed record TriggerAnswer(int Status, byte[] Body)
{
    public bool Succeeded => Status is >= 200 and < 300;
}
