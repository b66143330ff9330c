using System.Buffers;
using System.Text.Json;
using GraphQL;
using GraphQL.Resolvers;
using GraphQLParser.AST;
using Wafer.Protocol.Calls;

namespace Wafer.GraphQL;

/// <summary>
/// Resolves a root field: GraphQL arguments to the ABI argument array, one call, result JSON to values
/// GraphQL.NET resolves further. A failure becomes a <see cref="FunctionCallError"/> on this field only.
/// The fields of one query run at the same time (a caller that blocks its thread gets a thread of its own per
/// field), a mutation's one after another; none starts after the request's deadline, and one still running then
/// fails with <c>deadline_exceeded</c> while its call finishes by its own timeout.
/// </summary>
internal sealed class FunctionFieldResolver(SchemaFunction function, IFunctionCaller caller) : IFieldResolver
{
    public async ValueTask<object?> ResolveAsync(IResolveFieldContext context)
    {
        var arguments = new ArrayBufferWriter<byte>(256);
        if (ArgumentWriter.Write(context.Arguments, function.Function, function.Metadata, arguments) is { } error)
        {
            throw Failed(CallStatus.BadArguments, error, null);
        }

        var deadline = RequestDeadline.Of(context);
        if (deadline is { Token.IsCancellationRequested: true })
        {
            throw Late(deadline, started: false);
        }

        CallOutcome? outcome;
        if (deadline is null)
        {
            outcome = await caller.CallAsync(arguments.WrittenMemory, context.CancellationToken);
        }
        else if (caller.RunsOnCallingThread && !HasSiblings(context))
        {
            outcome = await caller.CallAsync(arguments.WrittenMemory, context.CancellationToken); // alone: no thread to spare
        }
        else
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, deadline.Token);
            var call = caller.RunsOnCallingThread
                ? OnOwnThread(arguments.WrittenMemory, either.Token)
                : caller.CallAsync(arguments.WrittenMemory, either.Token).AsTask();
            try
            {
                outcome = await call.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.Token.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
            {
                _ = call.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted); // its end is no longer awaited
                throw Late(deadline, started: true);
            }
        }

        if (outcome is not { } ended)
        {
            throw Failed(CallStatus.Unavailable, "the plugin was unloaded during the call", null);
        }

        if (!ended.Succeeded)
        {
            throw Failed(ended.Status, ended.Message, ended.CallId);
        }

        try
        {
            return ResultReader.Read(ended.ResultJson, function.Function.Result, function.Metadata);
        }
        catch (JsonException ex)
        {
            throw Failed(CallStatus.BadResult, ex.Message, ended.CallId);
        }
    }

    /// <summary>
    /// True when other root fields may run beside this one: a query with more than one root selection. Mutations run
    /// one after another (GraphQL's rule), so each may use the request's thread.
    /// </summary>
    private static bool HasSiblings(IResolveFieldContext context) =>
        context.Operation.Operation == OperationType.Query
        && (context.Operation.SelectionSet.Selections.Count > 1 || context.Operation.SelectionSet.Selections[0] is not GraphQLField);

    /// <summary>
    /// A call that holds its thread until the guest returns gets a dedicated thread: on the thread pool, ten fields
    /// of a 2 s function would wait for the pool to grow and end in several seconds instead of two.
    /// </summary>
    private Task<CallOutcome?> OnOwnThread(ReadOnlyMemory<byte> arguments, CancellationToken cancellationToken) =>
        Task.Factory.StartNew(
            () => caller.CallAsync(arguments, cancellationToken).AsTask(),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default).Unwrap();

    private FunctionCallError Late(RequestDeadline deadline, bool started) => Failed(
        CallStatus.DeadlineExceeded,
        started
            ? $"no answer within the request's deadline ({deadline.Timeout.TotalSeconds:0.###} s); the call still ends by its own timeout"
            : $"not called: the request's deadline ({deadline.Timeout.TotalSeconds:0.###} s) had passed",
        null);

    private FunctionCallError Failed(CallStatus status, string? message, string? callId) =>
        new(function.Plugin, function.Function.Name, status.Code(), message, callId);
}
