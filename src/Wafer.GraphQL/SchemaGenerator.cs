using GraphQL.Types;

namespace Wafer.GraphQL;

/// <summary>
/// Builds the GraphQL schema for a set of plugins (docs/graphql.md): one root field per visible function,
/// queries on <c>Query</c>, mutations on <c>Mutation</c>, names by Modus's conventions with every collision
/// resolved visibly. Independent of the catalog: each field's calls go to the caller <c>callerFor</c> returns.
/// One plugin whose metadata the schema cannot take is refused alone, with the reason: every other plugin keeps
/// its fields.
/// </summary>
public static class SchemaGenerator
{
    /// <summary>The placeholder field <c>Query</c> gets when no plugin exports a query (GraphQL requires one field).</summary>
    public const string PlaceholderField = "_empty";

    /// <param name="subscriptions">
    /// The fields of <c>Subscription</c>, when the host serves any (Modus's <c>agentEvent</c>): made anew for each
    /// schema built, as a field and its types belong to one schema.
    /// </param>
    public static GeneratedSchema Generate(
        IEnumerable<SchemaPlugin> plugins, Func<SchemaFunction, IFunctionCaller> callerFor, Func<IEnumerable<FieldType>>? subscriptions = null)
    {
        ArgumentNullException.ThrowIfNull(plugins);
        ArgumentNullException.ThrowIfNull(callerFor);
        var all = plugins.OrderBy(p => p.Name, StringComparer.Ordinal).ToArray();
        if (TryBuild(all, callerFor, subscriptions, out var built, out _))
        {
            return built;
        }

        // Some plugin breaks the schema: find it by building each alone, then the rest together, one by one if
        // they still fail together, so one bad plugin costs only itself.
        var refused = new Dictionary<string, string>(StringComparer.Ordinal);
        var alone = new List<SchemaPlugin>();
        foreach (var plugin in all)
        {
            if (TryBuild([plugin], callerFor, subscriptions, out _, out var failure))
            {
                alone.Add(plugin);
            }
            else
            {
                refused[plugin.Name] = failure;
            }
        }

        if (!TryBuild(alone, callerFor, subscriptions, out built, out _))
        {
            var kept = new List<SchemaPlugin>();
            foreach (var plugin in alone)
            {
                if (TryBuild([.. kept, plugin], callerFor, subscriptions, out _, out var failure))
                {
                    kept.Add(plugin);
                }
                else
                {
                    refused[plugin.Name] = $"with the plugins before it: {failure}";
                }
            }

            built = Build(kept, callerFor, subscriptions);
        }

        var notes = built.Notes.ToList();
        var statuses = built.Plugins.ToDictionary(StringComparer.Ordinal);
        foreach (var (plugin, reason) in refused.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            notes.Add($"plugin '{plugin}' is left out of the schema: {reason}");
            statuses[plugin] = new PluginSchemaStatus(PluginSchemaStatus.Refused, reason, []);
        }

        return built with { Notes = notes, Plugins = statuses };
    }

    private static bool TryBuild(
        IReadOnlyList<SchemaPlugin> plugins, Func<SchemaFunction, IFunctionCaller> callerFor, Func<IEnumerable<FieldType>>? subscriptions,
        out GeneratedSchema built, out string failure)
    {
        try
        {
            built = Build(plugins, callerFor, subscriptions);
            failure = "";
            return true;
        }
        catch (Exception ex) // whatever GraphQL.NET refuses: the plugin is refused for it, not the schema
        {
            built = null!;
            failure = "the GraphQL schema cannot take its metadata: " + ex.Message;
            return false;
        }
    }

    private static GeneratedSchema Build(
        IReadOnlyList<SchemaPlugin> plugins, Func<SchemaFunction, IFunctionCaller> callerFor, Func<IEnumerable<FieldType>>? subscriptions)
    {
        var notes = new List<string>();
        var exposed = plugins.Select(p => ExposedPlugin.From(p, notes)).ToArray();
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
                arguments.Add(ArgumentDefaults.Apply(
                    new QueryArgument(mapper.Input(plugin, parameter.Type)) { Name = parameter.Name, Description = parameter.Doc }, parameter.Default));
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

        var subscription = new ObjectGraphType { Name = "Subscription" };
        foreach (var field in subscriptions?.Invoke() ?? [])
        {
            subscription.AddField(field);
        }

        var schema = new WaferSchema
        {
            Query = query,
            Mutation = mutation.Fields.Count == 0 ? null : mutation,
            Subscription = subscription.Fields.Count == 0 ? null : subscription,
        };
        schema.Initialize();
        var statuses = exposed.ToDictionary(
            p => p.Name,
            p => new PluginSchemaStatus(PluginSchemaStatus.Served, null, p.LeftOut),
            StringComparer.Ordinal);
        return new GeneratedSchema(schema, functions, notes, statuses);
    }

    private static string? Describe(SchemaFunction function) =>
        function.Note is null ? function.Function.Doc
        : string.IsNullOrWhiteSpace(function.Function.Doc) ? function.Note
        : function.Function.Doc + "\n\n" + function.Note;
}
