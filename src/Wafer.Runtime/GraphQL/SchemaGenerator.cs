using GraphQL.Conversion;
using GraphQL.Types;

namespace Wafer.Runtime.GraphQL;

/// <summary>
/// Builds the GraphQL schema for a set of plugins (docs/graphql.md): one root field per visible function,
/// queries on <c>Query</c>, mutations on <c>Mutation</c>, names by Modus's conventions with every collision
/// resolved visibly. Independent of the catalog: each field's calls go to the caller <c>callerFor</c> returns.
/// </summary>
public static class SchemaGenerator
{
    /// <summary>The placeholder field <c>Query</c> gets when no plugin exports a query (GraphQL requires one field).</summary>
    public const string PlaceholderField = "_empty";

    public static GeneratedSchema Generate(IEnumerable<SchemaPlugin> plugins, Func<SchemaFunction, IFunctionCaller> callerFor)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        ArgumentNullException.ThrowIfNull(callerFor);
        var notes = new List<string>();
        var exposed = plugins.OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => ExposedPlugin.From(p, notes)).ToArray();
        var byName = exposed.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var mapper = new GraphTypeMapper(ClassNaming.Compute(exposed, notes), notes);
        var functions = FieldNaming.Assign(exposed, notes);

        var query = new ObjectGraphType { Name = "Query" };
        var mutation = new ObjectGraphType { Name = "Mutation" };
        foreach (var function in functions)
        {
            var plugin = byName[function.Plugin];
            var arguments = new QueryArguments();
            foreach (var parameter in function.Function.Parameters)
            {
                arguments.Add(new QueryArgument(mapper.Input(plugin, parameter.Type)) { Name = parameter.Name, Description = parameter.Doc });
            }

            (function.IsMutation ? mutation : query).AddField(new FieldType
            {
                Name = function.FieldName,
                Description = Describe(function),
                Arguments = arguments,
                // Nullable at the top so that a failed call nulls only its own field, not the whole response.
                ResolvedType = GraphTypeMapper.Nullable(mapper.Output(plugin, function.Function.Result)),
                Resolver = new FunctionFieldResolver(function, callerFor(function)),
            });
        }

        if (query.Fields.Count == 0)
        {
            query.AddField(new FieldType
            {
                Name = PlaceholderField,
                Description = "Placeholder while no loaded plugin exports a query; always null.",
                ResolvedType = new BooleanGraphType(),
            });
        }

        var schema = new Schema
        {
            Query = query,
            Mutation = mutation.Fields.Count == 0 ? null : mutation,
            NameConverter = DefaultNameConverter.Instance, // names are exactly as generated: no camel-casing
        };
        schema.Initialize();
        return new GeneratedSchema(schema, functions, notes);
    }

    private static string? Describe(SchemaFunction function) =>
        function.Note is null ? function.Function.Doc
        : string.IsNullOrWhiteSpace(function.Function.Doc) ? function.Note
        : function.Function.Doc + "\n\n" + function.Note;
}
