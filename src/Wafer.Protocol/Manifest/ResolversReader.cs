using System.Text.Json;
using Wafer.Protocol.Metadata;

namespace Wafer.Protocol.Manifest;

/// <summary>Reads the manifest's <c>resolvers</c>: Dgraph Lambda resolver names (<c>Type.field</c>) mapped to functions.</summary>
internal static class ResolversReader
{
    public static ManifestMap<string> Read(JsonElement element, string path)
    {
        var resolvers = ManifestValues.StringMap(element, path, KeyProblem);
        foreach (var (key, function) in resolvers)
        {
            if (!Identifier.IsValid(function))
            {
                throw new ManifestException($"{ManifestValues.Child(path, key)} must name a function, got '{function}'");
            }
        }

        return resolvers;
    }

    private static string? KeyProblem(string key)
    {
        var dot = key.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && Identifier.IsValid(key[..dot]) && Identifier.IsValid(key[(dot + 1)..])
            ? null
            : $"'{key}' is not a resolver name; write Type.field, like Query.getPerson";
    }
}
