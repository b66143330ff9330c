using Wafer.Protocol.Metadata;

namespace Wafer.GraphQL;

/// <summary>
/// Finds an input class that contains itself through fields that are neither nullable nor lists
/// (<c>class Node { next: Node }</c>): GraphQL forbids such input objects, since no finite value of them exists.
/// </summary>
internal static class InputCycles
{
    /// <summary>
    /// The first cycle among <paramref name="classes"/>, tried in order, as <c>Class.field</c> steps ending with the
    /// class it started from; null when there is none.
    /// </summary>
    public static IReadOnlyList<string>? Find(IEnumerable<string> classes, PluginMetadata metadata)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var start in classes)
        {
            var path = new List<(string Class, string Field)>();
            if (Visit(start, metadata, path, done) is { } cycle)
            {
                return cycle;
            }
        }

        return null;
    }

    private static List<string>? Visit(string className, PluginMetadata metadata, List<(string Class, string Field)> path, HashSet<string> done)
    {
        var onPath = path.FindIndex(step => step.Class == className);
        if (onPath >= 0)
        {
            return [.. path.Skip(onPath).Select(step => $"{step.Class}.{step.Field}"), className];
        }

        if (done.Contains(className) || metadata.FindType(className) is not { } definition)
        {
            return null;
        }

        foreach (var field in definition.Fields.Where(f => f.Type.Kind == WasmTypeKind.Class))
        {
            path.Add((className, field.Name));
            var cycle = Visit(field.Type.ClassName!, metadata, path, done);
            path.RemoveAt(path.Count - 1);
            if (cycle is not null)
            {
                return cycle;
            }
        }

        done.Add(className);
        return null;
    }
}
