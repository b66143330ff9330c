using GraphQL;
using GraphQL.Types;
using GraphQL.Utilities;
using Wafer.GraphQL;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Metadata;

namespace Wafer.Runtime.Tests.GraphQL;

/// <summary>A schema generated from metadata JSON with fake callers, and helpers to print and execute it.</summary>
public sealed class GraphQLTestSchema
{
    private static readonly IGraphQLTextSerializer Serializer = GraphQLJson.Serializer;
    private readonly Dictionary<string, FakeCaller> _callers = new(StringComparer.Ordinal);

    public GraphQLTestSchema(Func<SchemaFunction, string, CallOutcome?> answer, params (string Plugin, string Metadata)[] plugins)
    {
        Generated = SchemaGenerator.Generate(
            plugins.Select(p => new SchemaPlugin(p.Plugin, MetadataReader.Parse(System.Text.Encoding.UTF8.GetBytes(p.Metadata)))),
            function => _callers[function.QualifiedName] = new FakeCaller(function, answer));
    }

    public GraphQLTestSchema(params (string Plugin, string Metadata)[] plugins)
        : this((_, _) => FakeCaller.Ok("null"), plugins)
    {
    }

    public GeneratedSchema Generated { get; }

    public ISchema Schema => Generated.Schema;

    public string Sdl => Schema.Print(new PrintOptions { IncludeDescriptions = true }).ReplaceLineEndings("\n");

    public FakeCaller Caller(string qualifiedName) => _callers[qualifiedName];

    public async Task<(ExecutionResult Result, string Json)> ExecuteAsync(string query, string? variables = null)
    {
        var result = await new DocumentExecuter().ExecuteAsync(new ExecutionOptions
        {
            Schema = Schema,
            Query = query,
            Variables = variables is null ? null : Serializer.Deserialize<Inputs>(variables),
        });
        return (result, Serializer.Serialize(result));
    }
}
