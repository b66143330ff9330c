using Wafer.GraphQL;
using Wafer.Protocol.Calls;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Execution;
using Wafer.Runtime.Invocation;

namespace Wafer.Runtime.GraphQL;

/// <summary>
/// Calls a catalog function once it has an execution slot (<see cref="CallSlots"/>). When its plugin version was retired
/// between schema build and call, the function is resolved again by qualified name in the catalog's current snapshot
/// and the call retried once. The call goes through the <see cref="FunctionInvoker"/> like every other, so its limits
/// apply; it runs on the calling thread.
/// </summary>
internal sealed class RegisteredFunctionCaller(RegisteredFunction function, PluginCatalog catalog, FunctionInvoker invoker, CallSlots slots) : IFunctionCaller
{
    public bool RunsOnCallingThread => true;

    public async ValueTask<CallOutcome?> CallAsync(ReadOnlyMemory<byte> argumentsJson, CancellationToken cancellationToken)
    {
        var share = function.Share;
        if (await slots.EnterAsync(share).ConfigureAwait(false) is var admission and not Admission.Entered)
        {
            throw new FunctionCallError(function.Plugin.Name, function.Name, CallStatus.Busy.Code(), BusyProblems.Detail(function.QualifiedName, admission, slots.Options), null);
        }

        try
        {
            var outcome = invoker.TryInvoke(function, argumentsJson.Span);
            if (outcome is null && catalog.Current.ByQualifiedName.TryGetValue(function.QualifiedName, out var reloaded))
            {
                outcome = invoker.TryInvoke(reloaded, argumentsJson.Span);
            }

            return outcome;
        }
        finally
        {
            slots.Exit(share);
        }
    }
}
