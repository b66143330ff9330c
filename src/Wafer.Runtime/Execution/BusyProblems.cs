using Microsoft.AspNetCore.Http;
using Wafer.Hosting.Http;
using Wafer.Protocol.Calls;

namespace Wafer.Runtime.Execution;

/// <summary>The answer to a call <see cref="CallSlots"/> turned away unrun, naming the limit and its flag.</summary>
internal static class BusyProblems
{
    /// <summary>
    /// A call turned away unrun because the runtime's execution slots are taken, with <c>Retry-After</c>: the gateway
    /// may send it to another replica, a client may try again shortly.
    /// </summary>
    public static IResult Busy(string function, Admission admission, CallSlotsOptions limits) =>
        Problems.Of(CallProblem.Of(CallRefusals.Busy(Detail(function, admission, limits)), function));

    /// <summary>Which limit turned the call of <paramref name="function"/> away, naming its flag.</summary>
    public static string Detail(string function, Admission admission, CallSlotsOptions limits) => admission switch
    {
        Admission.FunctionBusy =>
            $"{function} runs {limits.PerFunction} calls at once and as many wait already (--maxConcurrentCallsPerFunction); the call did not run; retry later",
        Admission.QueueFull =>
            $"the runtime runs {limits.Capacity} calls at once and {limits.MaxQueued} wait already (--maxConcurrentCalls, --maxQueuedCalls); the call of {function} did not run; retry later",
        _ => $"no execution slot came free for {function} within {limits.QueueTimeout.TotalMilliseconds:0} ms (--queueTimeout); the call did not run; retry later",
    };
}
