using System.Diagnostics;
using Wafer.Runtime.Catalog;

namespace Wafer.Runtime.Capabilities;

/// <summary>
/// Who is asking and by when the answer is due: one guest call's view of the capabilities. Also remembers the
/// secret values filled in during the call so they can be scrubbed from anything sent back.
/// </summary>
public sealed class CapabilityCall(RegisteredFunction function, string callId, long startedTimestamp)
{
    private List<string>? _secrets;

    public RegisteredFunction Function => function;

    public LoadedPlugin Plugin => function.Plugin;

    public string CallId => callId;

    /// <summary>What is left of the call's wall-clock limit; host work must end by then.</summary>
    public TimeSpan Remaining =>
        TimeSpan.FromMilliseconds(function.Plugin.Manifest.Limits.TimeoutMs) - Stopwatch.GetElapsedTime(startedTimestamp);

    /// <summary>Secret values used in this call so far.</summary>
    public IReadOnlyList<string> Secrets => (IReadOnlyList<string>?)_secrets ?? [];

    internal void AddSecret(string value)
    {
        _secrets ??= [];
        if (!_secrets.Contains(value))
        {
            _secrets.Add(value);
        }
    }

    /// <summary>
    /// A cancellation source for one operation: it fires at the connection's timeout or at the end of the call,
    /// whichever comes first. Throws when the call has no time left.
    /// </summary>
    public OperationBudget Budget(string operation, int connectionTimeoutMs)
    {
        var remaining = Remaining;
        if (remaining <= TimeSpan.Zero)
        {
            throw new CapabilityException($"{operation}: the call's time limit ({function.Plugin.Manifest.Limits.TimeoutMs} ms) has passed");
        }

        var connection = TimeSpan.FromMilliseconds(connectionTimeoutMs);
        return remaining < connection
            ? new OperationBudget(remaining, $"the call's remaining time ({remaining.TotalMilliseconds:F0} ms)")
            : new OperationBudget(connection, $"the connection's timeoutMs ({connectionTimeoutMs} ms)");
    }
}
