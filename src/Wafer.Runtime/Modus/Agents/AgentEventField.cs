using System.Text.Json;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQLParser.AST;

namespace Wafer.Runtime.Modus.Agents;

/// <summary>
/// Modus's <c>agentEvent(agentId: String!): AgentEvent!</c> subscription: the events an agent publishes, each as
/// <c>{name, data, timestamp}</c> with <c>data</c> the event's JSON, served as server-sent events
/// (docs/modus.md, "Agents").
/// </summary>
internal static class AgentEventField
{
    public const string Name = "agentEvent";

    public static IEnumerable<FieldType> Create(ModusAgents agents)
    {
        ArgumentNullException.ThrowIfNull(agents);
        var eventType = new ObjectGraphType { Name = "AgentEvent" };
        eventType.AddField(new FieldType
        {
            Name = "name",
            ResolvedType = new NonNullGraphType(new StringGraphType()),
            Resolver = new FuncFieldResolver<string>(c => ((AgentEvent)c.Source!).Name),
        });
        eventType.AddField(new FieldType
        {
            Name = "data",
            ResolvedType = new JsonGraphType(),
            Resolver = new FuncFieldResolver<object?>(c => Parse(((AgentEvent)c.Source!).Data)),
        });
        eventType.AddField(new FieldType
        {
            Name = "timestamp",
            ResolvedType = new StringGraphType(),
            Resolver = new FuncFieldResolver<string>(c => ((AgentEvent)c.Source!).Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)),
        });

        yield return new FieldType
        {
            Name = Name,
            Description = "The events the agent publishes from now on; the stream ends when the agent is stopped.",
            Arguments = new QueryArguments(new QueryArgument(new NonNullGraphType(new StringGraphType())) { Name = "agentId" }),
            ResolvedType = new NonNullGraphType(eventType),
            StreamResolver = new SourceStreamResolver<AgentEvent>(c => Watch(agents, c.GetArgument<string>("agentId"))),
            Resolver = new FuncFieldResolver<object?>(c => c.Source),
        };
    }

    private static IObservable<AgentEvent> Watch(ModusAgents agents, string id)
    {
        try
        {
            return agents.Watch(id);
        }
        catch (KeyNotFoundException ex)
        {
            throw new ExecutionError(ex.Message) { Code = "agent_not_found" };
        }
    }

    /// <summary>The event's JSON as a value; text that is not JSON is passed on as a string.</summary>
    private static object? Parse(string? data)
    {
        if (data is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(data);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return data;
        }
    }

    /// <summary>Modus's <c>JSON</c> scalar: any JSON value, output only.</summary>
    private sealed class JsonGraphType : ScalarGraphType
    {
        public JsonGraphType() => Name = "JSON";

        public override object? ParseLiteral(GraphQLValue value) => throw new InvalidOperationException("JSON is an output type here");

        public override object? ParseValue(object? value) => throw new InvalidOperationException("JSON is an output type here");

        public override object? Serialize(object? value) => value;
    }
}
