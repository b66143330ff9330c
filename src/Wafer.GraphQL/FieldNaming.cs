namespace Wafer.GraphQL;

/// <summary>
/// Names the root fields: Modus's convention first (<see cref="GraphQLNaming"/>), then collisions resolved
/// visibly. Within one plugin, functions whose conventional names meet (<c>getPerson</c> and <c>person</c>)
/// keep their own names; a name exported by several plugins becomes <c>&lt;pluginCamel&gt;_&lt;field&gt;</c> for
/// each of them. Anything still colliding gets a numbered suffix. Every change is noted.
/// </summary>
internal static class FieldNaming
{
    public static IReadOnlyList<SchemaFunction> Assign(IReadOnlyList<ExposedPlugin> plugins, List<string> notes)
    {
        var fields = new List<SchemaFunction>();
        foreach (var plugin in plugins)
        {
            var start = fields.Count;
            fields.AddRange(plugin.Functions.Select(f =>
                new SchemaFunction(plugin.Name, f, plugin.Metadata, GraphQLNaming.FieldName(f.Name), GraphQLNaming.IsMutation(f.Name))));
            foreach (var group in Collisions(fields, start))
            {
                var conventional = fields[group[0]].FieldName;
                var functions = string.Join(", ", group.Select(i => fields[i].Function.Name));
                foreach (var i in group)
                {
                    var name = GraphQLNaming.LowerFirst(fields[i].Function.Name);
                    fields[i] = fields[i] with
                    {
                        FieldName = name,
                        Note = $"Named '{name}', not '{conventional}': plugin {plugin.Name} exports {functions}, which would all be '{conventional}'.",
                    };
                }

                notes.Add($"functions {functions} of plugin {plugin.Name} would all be field '{conventional}': each keeps its own name");
            }
        }

        foreach (var group in Collisions(fields, 0))
        {
            var conventional = fields[group[0]].FieldName;
            var owners = string.Join(", ", group.Select(i => fields[i].Plugin).Distinct(StringComparer.Ordinal));
            foreach (var i in group)
            {
                var name = $"{GraphQLNaming.PluginCamel(fields[i].Plugin)}_{conventional}";
                fields[i] = fields[i] with
                {
                    FieldName = name,
                    Note = $"Named '{name}', not '{conventional}': plugins {owners} all export '{conventional}'.",
                };
            }

            notes.Add($"field '{conventional}' is exported by plugins {owners}: exposed as {string.Join(", ", group.Select(i => $"'{fields[i].FieldName}'"))}");
        }

        var queryNames = new NameRegistry(notes);
        var mutationNames = new NameRegistry(notes);
        for (var i = 0; i < fields.Count; i++)
        {
            var function = fields[i];
            var name = (function.IsMutation ? mutationNames : queryNames).Claim(function.FieldName, $"function '{function.QualifiedName}'");
            if (name != function.FieldName)
            {
                fields[i] = function with { FieldName = name, Note = $"Named '{name}': '{function.FieldName}' is taken by another function." };
            }
        }

        return fields;
    }

    /// <summary>Indexes (from <paramref name="start"/>) of fields sharing a root type and a name, in groups of two or more.</summary>
    private static List<int[]> Collisions(List<SchemaFunction> fields, int start) =>
        Enumerable.Range(start, fields.Count - start)
            .GroupBy(i => (fields[i].IsMutation, fields[i].FieldName))
            .Where(g => g.Count() > 1)
            .Select(g => g.ToArray())
            .ToList();
}
