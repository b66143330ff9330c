using System.Buffers;
using System.Text.Json;
using GraphQL;
using GraphQL.Resolvers;

namespace Wafer.Runtime.GraphQL;

/// <summary>
/// Resolves a root field: GraphQL arguments to the ABI argument array, one call, result JSON to values
/// GraphQL.NET resolves further. A failure becomes a <see cref="FunctionCallError"/> on this field only.
/// </summary>
internal sealed class FunctionFieldResolver(SchemaFunction function, IFunctionCaller caller) : IFieldResolver
{
    public async ValueTask<object?> ResolveAsync(IResolveFieldContext context)
    {
        var arguments = new ArrayBufferWriter<byte>(256);
        if (ArgumentWriter.Write(context.Arguments, function.Function, function.Metadata, arguments) is { } error)
        {
            throw Failed("bad_arguments", error, null);
        }

        var outcome = await caller.CallAsync(arguments.WrittenMemory, context.CancellationToken)
            ?? throw Failed("unavailable", "the plugin was unloaded during the call", null);
        if (!outcome.Succeeded)
        {
            throw Failed(outcome.Cause, outcome.Message, outcome.CallId);
        }

        try
        {
            return ResultReader.Read(outcome.ResultJson, function.Function.Result, function.Metadata);
        }
        catch (JsonException ex)
        {
            throw Failed("bad_result", ex.Message, outcome.CallId);
        }
    }

    private FunctionCallError Failed(string cause, string? message, string? callId) =>
        new(function.Plugin, function.Function.Name, cause, message, callId);
}
