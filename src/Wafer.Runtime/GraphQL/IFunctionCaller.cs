using Wafer.Runtime.Invocation;

namespace Wafer.Runtime.GraphQL;

/// <summary>Calls the one function behind a GraphQL field.</summary>
public interface IFunctionCaller
{
    /// <summary>
    /// Calls the function with the ABI's positional argument array (docs/abi.md §2). Returns null when the
    /// function is no longer loaded.
    /// </summary>
    CallOutcome? Call(ReadOnlySpan<byte> argumentsJson);
}
