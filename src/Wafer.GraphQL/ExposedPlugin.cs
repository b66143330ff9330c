using Wafer.Protocol.Metadata;

namespace Wafer.GraphQL;

/// <summary>A plugin's functions that will become fields, the classes they reach, and the functions left out with why.</summary>
internal sealed record ExposedPlugin(SchemaPlugin Plugin, IReadOnlyList<FunctionMetadata> Functions, IReadOnlySet<string> Classes, IReadOnlyList<string> LeftOut)
{
    public string Name => Plugin.Name;

    public PluginMetadata Metadata => Plugin.Metadata;

    /// <summary>
    /// Keeps the functions that can be fields: not hidden (<c>_</c> prefix), with no parameter or reachable class
    /// field named with GraphQL's reserved <c>__</c> prefix, and with no argument whose class contains itself through
    /// non-null fields (GraphQL forbids such input types: no finite value has them). Every function left out for a
    /// reason other than being hidden gets a note.
    /// </summary>
    public static ExposedPlugin From(SchemaPlugin plugin, List<string> notes)
    {
        var functions = new List<FunctionMetadata>();
        var classes = new HashSet<string>(StringComparer.Ordinal);
        var leftOut = new List<string>();
        foreach (var function in plugin.Metadata.Functions)
        {
            if (GraphQLNaming.IsHidden(function.Name))
            {
                continue;
            }

            if (WhyNot(function, plugin.Metadata, out var reached) is { } reason)
            {
                leftOut.Add($"{function.Name}: {reason}");
                notes.Add($"function '{plugin.Name}/{function.Name}' is not exposed: {reason}");
                continue;
            }

            functions.Add(function);
            classes.UnionWith(reached);
        }

        return new ExposedPlugin(plugin, functions, classes, leftOut);
    }

    private static string? WhyNot(FunctionMetadata function, PluginMetadata metadata, out HashSet<string> reached)
    {
        reached = new HashSet<string>(StringComparer.Ordinal);
        string? undefined = null;
        foreach (var type in function.Parameters.Select(p => p.Type).Append(function.Result))
        {
            undefined ??= Reach(type, metadata, reached);
        }

        if (undefined is not null)
        {
            return $"type '{undefined}' is not defined";
        }

        var invalid = function.Parameters.Select(p => p.Name)
            .Concat(reached.SelectMany(c => metadata.FindType(c)!.Fields.Select(f => f.Name)))
            .FirstOrDefault(name => !GraphQLNaming.IsValidName(name));
        if (invalid is not null)
        {
            return $"the name '{invalid}' it uses is reserved by GraphQL (starts with '__')";
        }

        foreach (var parameter in function.Parameters)
        {
            var inputs = new HashSet<string>(StringComparer.Ordinal);
            Reach(parameter.Type, metadata, inputs);
            if (InputCycles.Find(inputs.OrderBy(c => c == ClassOf(parameter.Type) ? 0 : 1).ThenBy(c => c, StringComparer.Ordinal), metadata) is { } cycle)
            {
                return $"argument '{parameter.Name}' uses class '{cycle[^1]}', which contains itself through non-null fields " +
                    $"({string.Join(" → ", cycle)}): no finite value of it exists, and GraphQL forbids such input types";
            }
        }

        return null;
    }

    private static string? ClassOf(WasmType type)
    {
        while (type.Kind is WasmTypeKind.Array or WasmTypeKind.Nullable)
        {
            type = type.Element!;
        }

        return type.ClassName;
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
