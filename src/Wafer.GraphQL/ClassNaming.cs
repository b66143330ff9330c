using Wafer.Protocol.Metadata;

namespace Wafer.GraphQL;

/// <summary>
/// Names the GraphQL types made from classes so that two plugins' classes never collide silently: a class name
/// used by one plugin keeps its name; plugins whose definitions are identical (same fields, recursively) share
/// one type; otherwise each plugin's class becomes <c>&lt;PluginPascal&gt;_&lt;Name&gt;</c>. Names GraphQL or
/// Wafer reserve get the plugin prefix too.
/// </summary>
internal sealed class ClassNaming
{
    public static readonly IReadOnlySet<string> ReservedTypeNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "Query", "Mutation", "Subscription", "String", "Int", "Float", "Boolean", "ID",
        "Int64", "UInt", "UInt64", "Void", "Timestamp",
    };

    private readonly Dictionary<(string Plugin, string Class), ClassKey> _keys = [];

    private ClassNaming()
    {
    }

    public ClassKey KeyOf(string plugin, string className) => _keys[(plugin, className)];

    public static ClassNaming Compute(IReadOnlyList<ExposedPlugin> plugins, List<string> notes)
    {
        var byName = new SortedDictionary<string, List<ExposedPlugin>>(StringComparer.Ordinal);
        foreach (var plugin in plugins)
        {
            foreach (var name in plugin.Classes)
            {
                if (!byName.TryGetValue(name, out var list))
                {
                    byName[name] = list = [];
                }

                list.Add(plugin);
            }
        }

        var shared = byName
            .Where(kv => kv.Value.Count > 1 && !IsReserved(kv.Key) && kv.Value.Skip(1).All(p => Identical(kv.Value[0].Metadata, p.Metadata, kv.Key)))
            .Select(kv => kv.Key)
            .ToHashSet(StringComparer.Ordinal);
        var unsharedBecause = DropSharedUsingPrefixed(byName, shared);

        var naming = new ClassNaming();
        foreach (var (name, owners) in byName)
        {
            if (shared.Contains(name))
            {
                foreach (var owner in owners)
                {
                    naming._keys[(owner.Name, name)] = new ClassKey(null, name, name);
                }

                continue;
            }

            if (owners.Count == 1 && !IsReserved(name))
            {
                naming._keys[(owners[0].Name, name)] = new ClassKey(owners[0].Name, name, name);
                continue;
            }

            var renamed = owners.Select(o => $"{GraphQLNaming.PluginPascal(o.Name)}_{name}").ToArray();
            for (var i = 0; i < owners.Count; i++)
            {
                naming._keys[(owners[i].Name, name)] = new ClassKey(owners[i].Name, name, renamed[i]);
            }

            var who = string.Join(", ", owners.Select(o => o.Name));
            notes.Add(owners.Count == 1
                ? $"type '{name}' of plugin {who} is exposed as '{renamed[0]}': the name is reserved"
                : unsharedBecause.TryGetValue(name, out var inner)
                    ? $"type '{name}' (plugins {who}) is exposed as {Quote(renamed)}: the type '{inner}' it uses differs between them"
                    : $"type '{name}' is defined differently by plugins {who}: exposed as {Quote(renamed)}");
        }

        return naming;
    }

    private static bool IsReserved(string name) => ReservedTypeNames.Contains(name) || name.StartsWith("__", StringComparison.Ordinal);

    /// <summary>
    /// A shared type must reach only shared types: one whose fields use a class that is split per plugin is split
    /// too. Returns, for each type split that way, the class that caused it.
    /// </summary>
    private static Dictionary<string, string> DropSharedUsingPrefixed(SortedDictionary<string, List<ExposedPlugin>> byName, HashSet<string> shared)
    {
        var because = new Dictionary<string, string>(StringComparer.Ordinal);
        bool changed;
        do
        {
            changed = false;
            foreach (var name in shared.ToArray())
            {
                var definition = byName[name][0].Metadata.FindType(name)!;
                var split = definition.Fields.Select(f => ClassOf(f.Type)).FirstOrDefault(c => c is not null && !shared.Contains(c));
                if (split is not null)
                {
                    shared.Remove(name);
                    because[name] = split;
                    changed = true;
                }
            }
        }
        while (changed);

        return because;
    }

    /// <summary>True when both plugins define <paramref name="name"/> with the same fields and types, recursively.</summary>
    private static bool Identical(PluginMetadata a, PluginMetadata b, string name) => Identical(a, b, name, new HashSet<string>(StringComparer.Ordinal));

    private static bool Identical(PluginMetadata a, PluginMetadata b, string name, HashSet<string> assumed)
    {
        if (!assumed.Add(name))
        {
            return true; // already being compared further up: a cycle, equal unless shown otherwise there
        }

        var left = a.FindType(name);
        var right = b.FindType(name);
        if (left is null || right is null || left.Fields.Count != right.Fields.Count)
        {
            return false;
        }

        foreach (var field in left.Fields)
        {
            var other = right.Fields.FirstOrDefault(f => f.Name == field.Name);
            if (other is null || !SameShape(field.Type, other.Type))
            {
                return false;
            }

            if (ClassOf(field.Type) is { } inner && !Identical(a, b, inner, assumed))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameShape(WasmType x, WasmType y) =>
        x.Kind == y.Kind && x.ClassName == y.ClassName && (x.Element is null || SameShape(x.Element, y.Element!));

    private static string? ClassOf(WasmType type)
    {
        while (type.Kind is WasmTypeKind.Array or WasmTypeKind.Nullable)
        {
            type = type.Element!;
        }

        return type.ClassName;
    }

    private static string Quote(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));
}
