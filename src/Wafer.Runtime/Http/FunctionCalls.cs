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
/// gateway's call protocol (<see cref="Calls.CallProtocolConnection"/>). Resolves the name, binds the arguments, runs the
/// call and says what to answer.
/// </summary>
internal sealed class FunctionCalls(PluginCatalog catalog, FunctionInvoker invoker, CallSlots slots, IOptions<RuntimeOptions> options)
{
    /// <summary>The largest request body a call takes (<c>--maxRequestBytes</c>).</summary>
    public int MaxRequestBytes { get; } = options.Value.MaxRequestBytes;

    /// <summary>Finds the function, or returns the 404 or 409 problem saying why not.</summary>
    public CallProblem? Resolve(string? plugin, string name, out RegisteredFunction function)
    {
        var resolved = FunctionResolver.Resolve(catalog.Current, plugin, name);
        function = resolved.Function!;
        return resolved.Function is not null ? null
            : resolved.Ambiguous ? CallProblem.Ambiguous(resolved.Error!)
            : CallProblem.NotFound(resolved.Error!);
    }

    /// <summary>
    /// Calls <paramref name="function"/> with a JSON object of named arguments, once it has an execution slot
    /// (<see cref="CallSlots"/>): at once when one is free, else after waiting; a call turned away answers 503 unrun.
    /// </summary>
    /// <param name="trace">The caller's trace context (a call frame's, a request's <c>traceparent</c>); default: none.</param>
    public ValueTask<FunctionAnswer> InvokeAsync(RegisteredFunction function, ReadOnlyMemory<byte> body, ActivityContext trace = default)
    {
        var arguments = new ArrayBufferWriter<byte>(body.Length + 16);
        if (ArgumentBinder.Bind(body.Span, function.Metadata, function.Plugin.Metadata, arguments) is { } error)
        {
            return ValueTask.FromResult(new FunctionAnswer(null, null, CallProblem.BadRequest(error, function.QualifiedName)));
        }

        var admission = slots.EnterAsync(function.Share);
        return admission.IsCompletedSuccessfully
            ? ValueTask.FromResult(Run(admission.Result, function, arguments, trace))
            : AdmittedAsync(admission, function, arguments, trace);
    }

    private async ValueTask<FunctionAnswer> AdmittedAsync(ValueTask<Admission> admission, RegisteredFunction function, ArrayBufferWriter<byte> arguments, ActivityContext trace) =>
        Run(await admission.ConfigureAwait(false), function, arguments, trace);

    private FunctionAnswer Run(Admission admission, RegisteredFunction function, ArrayBufferWriter<byte> arguments, in ActivityContext trace)
    {
        if (admission != Admission.Entered)
        {
            return new FunctionAnswer(null, null, BusyProblems.Call(function.QualifiedName, admission, slots.Options));
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

        if (outcome is not { } ended)
        {
            return new FunctionAnswer(null, null, CallProblem.Unavailable(function.QualifiedName));
        }

        return ended.Succeeded
            ? new FunctionAnswer(ended.CallId, ended.ResultJson!, null)
            : new FunctionAnswer(ended.CallId, null, CallProblem.Failed(function.QualifiedName, ended));
    }
}

/// <summary>
/// What a call answers: the guest's result JSON (sent as <c>{"result": …}</c>), or a problem; <see cref="CallId"/>
/// when the call ran.
/// </summary>
internal readonly record struct FunctionAnswer(string? CallId, byte[]? ResultJson, CallProblem? Problem)
{
    public static ReadOnlySpan<byte> ResultPrefix => "{\"result\":"u8;

    public static ReadOnlySpan<byte> ResultSuffix => "}"u8;

    /// <summary>The length of the <c>{"result": …}</c> body.</summary>
    public int ResultBodyLength => ResultPrefix.Length + ResultJson!.Length + ResultSuffix.Length;

    /// <summary>Writes the <c>{"result": …}</c> body.</summary>
    public void WriteResultBody(IBufferWriter<byte> writer)
    {
        writer.Write(ResultPrefix);
        writer.Write(ResultJson);
        writer.Write(ResultSuffix);
    }
}
