using Wafer.Protocol.Calls;

namespace Wafer.GraphQL;

/// <summary>Calls the one function behind a GraphQL field: in this process, or on another one (the gateway).</summary>
public interface IFunctionCaller
{
    /// <summary>
    /// True when <see cref="CallAsync"/> runs the function on the calling thread and returns when it is done: a query's
    /// fields then run on threads of their own so that they run at the same time.
    /// </summary>
    bool RunsOnCallingThread => false;

    /// <summary>
    /// Calls the function with the ABI's positional argument array (docs/abi.md §2). Returns null when the
    /// function is no longer loaded. A caller may throw <see cref="FunctionCallError"/> for a failure that is not a
    /// call outcome (no replica reachable, a refusal from the remote side).
    /// </summary>
    ValueTask<CallOutcome?> CallAsync(ReadOnlyMemory<byte> argumentsJson, CancellationToken cancellationToken);
}
