using Wafer.Protocol.Metadata;

namespace Wafer.Runtime.GraphQL;

/// <summary>A plugin's functions that will become fields, and the classes they reach.</summary>
internal sealed record ExposedPlugin(SchemaPlugin Plugin, IReadOnlyList<FunctionMetadata> Functions, IReadOnlySet<string> Classes)
{
    public string Name => Plugin.Name;

    public PluginMetadata Metadata => Plugin.Metadata;

    /// <summary>
    /// Keeps the functions that can be fields: not hidden (<c>_</c> prefix) and with no parameter or reachable
    /// class field named with GraphQL's reserved <c>__</c> prefix. Every function left out for a reason other
    /// than being hidden gets a note.
    /// </summary>
    public static ExposedPlugin From(SchemaPlugin plugin, List<string> notes)
    {
        var functions = new List<FunctionMetadata>();
        var classes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var function in plugin.Metadata.Functions)
        {
            if (GraphQLNaming.IsHidden(function.Name))
            {
                continue;
            }

            var reached = new HashSet<string>(StringComparer.Ordinal);
            string? undefined = null;
            foreach (var type in function.Parameters.Select(p => p.Type).Append(function.Result))
            {
                undefined ??= Reach(type, plugin.Metadata, reached);
            }

            if (undefined is not null)
            {
                notes.Add($"function '{plugin.Name}/{function.Name}' is not exposed: type '{undefined}' is not defined");
                continue;
            }

            var invalid = function.Parameters.Select(p => p.Name)
                .Concat(reached.SelectMany(c => plugin.Metadata.FindType(c)!.Fields.Select(f => f.Name)))
                .FirstOrDefault(name => !GraphQLNaming.IsValidName(name));
            if (invalid is not null)
            {
                notes.Add($"function '{plugin.Name}/{function.Name}' is not exposed: the name '{invalid}' it uses is reserved by GraphQL (starts with '__')");
                continue;
            }

            functions.Add(function);
            classes.UnionWith(reached);
        }

        return new ExposedPlugin(plugin, functions, classes);
    }

    /// <summary>Adds the classes <paramref name="type"/> reaches; returns the name of an undefined one, else null.</summary>
    private static string? Reach(WasmType type, PluginMetadata metadata, HashSet<string> reached)
    {
        while (type.Kind is WasmTypeKind.Array or WasmTypeKind.Nullable)
        {
            type = type.Element!;
        }

        if (type.Kind != WasmTypeKind.Class || reached.Contains(type.ClassName!))
        {
            return null;
        }

        if (metadata.FindType(type.ClassName!) is not { } definition)
        {
            return type.ClassName;
        }

        reached.Add(type.ClassName!);
        foreach (var field in definition.Fields)
        {
            if (Reach(field.Type, metadata, reached) is { } undefined)
            {
                return undefined;
            }
        }

        return null;
    }
}
