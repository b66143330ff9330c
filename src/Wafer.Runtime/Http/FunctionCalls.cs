using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Wafer.Protocol.Calls;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Execution;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Invocation;

namespace Wafer.Runtime.Http;

/// <summary>
/// One function call by name, whatever carried it: <c>POST /functions/...</c> (<see cref="FunctionEndpoints"/>) or a
/// gateway's call protocol (<see cref="Calls.CallProtocolConnection"/>). Resolves the name, binds the arguments and runs
/// the call; how it ended, a refusal included, is one <see cref="CallOutcome"/> that the transport answers.
/// </summary>
internal sealed class FunctionCalls(PluginCatalog catalog, FunctionInvoker invoker, CallSlots slots, IOptions<RuntimeOptions> options)
{
    /// <summary>The largest request body a call takes (<c>--maxRequestBytes</c>).</summary>
    public int MaxRequestBytes { get; } = options.Value.MaxRequestBytes;

    /// <summary>Finds the function, or returns the refusal (not found, ambiguous) saying why not.</summary>
    public CallOutcome? Resolve(string? plugin, string name, out RegisteredFunction function)
    {
        var resolved = FunctionResolver.Resolve(catalog.Current, plugin, name);
        function = resolved.Function!;
        return resolved.Function is not null ? null
            : resolved.Ambiguous ? CallRefusals.Ambiguous(resolved.Error!)
            : CallRefusals.NotFound(resolved.Error!);
    }

    /// <summary>
    /// Calls <paramref name="function"/> with a JSON object of named arguments, once it has an execution slot
    /// (<see cref="CallSlots"/>): at once when one is free, else after waiting; a call turned away ends
    /// <see cref="CallStatus.Busy"/> unrun. A call that ran carries its id.
    /// </summary>
    /// <param name="trace">The caller's trace context (a call frame's, a request's <c>traceparent</c>); default: none.</param>
    public ValueTask<CallOutcome> InvokeAsync(RegisteredFunction function, ReadOnlyMemory<byte> body, ActivityContext trace = default)
    {
        var arguments = new ArrayBufferWriter<byte>(body.Length + 16);
        if (ArgumentBinder.Bind(body.Span, function.Metadata, function.Plugin.Metadata, arguments) is { } error)
        {
            return ValueTask.FromResult(CallRefusals.BadRequest(error));
        }

        var admission = slots.EnterAsync(function.Share);
        return admission.IsCompletedSuccessfully
            ? ValueTask.FromResult(Run(admission.Result, function, arguments, trace))
            : AdmittedAsync(admission, function, arguments, trace);
    }

    private async ValueTask<CallOutcome> AdmittedAsync(ValueTask<Admission> admission, RegisteredFunction function, ArrayBufferWriter<byte> arguments, ActivityContext trace) =>
        Run(await admission.ConfigureAwait(false), function, arguments, trace);

    private CallOutcome Run(Admission admission, RegisteredFunction function, ArrayBufferWriter<byte> arguments, in ActivityContext trace)
    {
        if (admission != Admission.Entered)
        {
            return CallRefusals.Busy(BusyProblems.Detail(function.QualifiedName, admission, slots.Options));
        }

        CallOutcome? outcome;
        var share = function.Share;
        try
        {
            outcome = invoker.TryInvoke(function, arguments.WrittenSpan, trace);
            if (outcome is null && catalog.Current.ByQualifiedName.TryGetValue(function.QualifiedName, out var reloaded))
            {
                function = reloaded;
                outcome = invoker.TryInvoke(function, arguments.WrittenSpan, trace);
            }
        }
        finally
        {
            slots.Exit(share);
        }

        return outcome ?? CallRefusals.Unavailable(function.QualifiedName);
    }
}
