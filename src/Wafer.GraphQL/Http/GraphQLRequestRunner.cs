using GraphQL;
using GraphQL.Execution;
using GraphQL.Transport;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Http;
using Wafer.GraphQL.Limits;

namespace Wafer.GraphQL.Http;

/// <summary>
/// Runs one GraphQL request within <see cref="GraphQLOptions"/>: the query's length is checked before parsing, the
/// document's shape before validation (<see cref="LimitingDocumentValidator"/>), the request gets its deadline
/// (<see cref="RequestDeadline"/>) and a query's fields run at the same time, at most
/// <see cref="GraphQLOptions.MaxParallelFields"/> of them; the errors returned are capped.
/// </summary>
internal sealed class GraphQLRequestRunner(ISchemaSource source, GraphQLOptions options)
{
    private readonly GraphQLDocumentBuilder _parser = new();
    private readonly DocumentExecuter _executer = new(new GraphQLDocumentBuilder(), new LimitingDocumentValidator(options));

    /// <param name="viaGet">A GET: only queries (and, streamed, subscriptions) run; a mutation is refused unrun (<see cref="RunOutcome.MutationOverGet"/>).</param>
    /// <param name="streamed">The answer goes out as server-sent events: the only way a subscription can run.</param>
    public async Task<RunOutcome> RunAsync(GraphQLRequest request, bool viaGet, bool streamed, HttpContext context)
    {
        var query = request.Query!;
        if (query.Length > options.MaxQueryLength)
        {
            return Refused(new ExecutionError(
                $"The query is {query.Length} characters long; at most {options.MaxQueryLength} are allowed.") { Code = "query_too_long" });
        }

        GraphQLDocument document;
        try
        {
            document = _parser.Build(query);
        }
        catch (SyntaxError error)
        {
            return Refused(error);
        }

        var operation = Operation(document, request.OperationName);
        if (operation is { Operation: OperationType.Subscription } && !streamed)
        {
            return Refused(new ExecutionError(
                $"a subscription needs the header Accept: {GraphQLMediaTypes.EventStream}; its events are sent as server-sent events")
            { Code = "subscription_needs_event_stream" });
        }

        if (viaGet && operation is { Operation: OperationType.Mutation })
        {
            return new RunOutcome(new ExecutionResult(new ExecutionError(
                "a mutation cannot run over GET: send it with POST") { Code = "method_not_allowed" }), MutationOverGet: true);
        }

        using var deadline = new CancellationTokenSource(options.RequestTimeout);
        var execution = new ExecutionOptions
        {
            Schema = source.Current.Schema,
            Query = query,
            Document = document,
            OperationName = request.OperationName,
            Variables = IntegralVariables.Normalize(request.Variables),
            Extensions = request.Extensions,
            RequestServices = context.RequestServices,
            User = context.User,
            CancellationToken = context.RequestAborted,
            MaxParallelExecutionCount = options.MaxParallelFields,
        };
        new RequestDeadline(deadline.Token, options.RequestTimeout).AttachTo(execution);
        var result = await _executer.ExecuteAsync(execution);
        ErrorLimit.Apply(result, options.MaxErrors);
        return new RunOutcome(result, MutationOverGet: false);
    }

    /// <summary>The operation that would run: the one named, or the only one; null when that is not clear (validation says why).</summary>
    private static GraphQLOperationDefinition? Operation(GraphQLDocument document, string? name)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        return name is null
            ? operations.Count == 1 ? operations[0] : null
            : operations.FirstOrDefault(o => o.Name is { } n && n.StringValue == name);
    }

    private static RunOutcome Refused(ExecutionError error) => new(new ExecutionResult(error) { Executed = false }, MutationOverGet: false);
}

/// <summary>What running a request gave: its result, or a mutation refused because it came over GET.</summary>
internal readonly record struct RunOutcome(ExecutionResult Result, bool MutationOverGet);
