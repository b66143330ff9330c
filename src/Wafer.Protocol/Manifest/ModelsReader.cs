using System.Text.Json;

namespace Wafer.Protocol.Manifest;

/// <summary>Reads the manifest's <c>models</c>: each names an <c>http</c> connection, a provider model id and a kind.</summary>
internal static class ModelsReader
{
    public static ManifestMap<ModelSpec> Read(JsonElement element, string path)
    {
        ManifestValues.Object(element, path);
        var models = new List<KeyValuePair<string, ModelSpec>>();
        foreach (var property in element.EnumerateObject())
        {
            var p = ManifestValues.Child(path, property.Name);
            if (!ManifestReader.IsValidName(property.Name))
            {
                throw new ManifestException(
                    $"{p}: a model name must be 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit");
            }

            models.Add(new(property.Name, ReadModel(property.Name, property.Value, p)));
        }

        return new ManifestMap<ModelSpec>(models);
    }

    /// <summary>Every model must name a declared <c>http</c> connection.</summary>
    public static void CheckConnections(ManifestMap<ModelSpec> models, ManifestMap<ConnectionSpec> connections, string path)
    {
        foreach (var model in models.Values)
        {
            var p = $"{ManifestValues.Child(path, model.Name)}.connection";
            if (!connections.TryGetValue(model.Connection, out var connection))
            {
                throw new ManifestException(connections.Count == 0
                    ? $"{p} names '{model.Connection}', but the manifest declares no connections"
                    : $"{p} names '{model.Connection}', which is not a declared connection ({string.Join(", ", connections.Keys)})");
            }

            if (connection is not HttpConnectionSpec)
            {
                throw new ManifestException($"{p} names '{model.Connection}', a {connection.Type} connection; a model needs an http connection");
            }
        }
    }

    private static ModelSpec ReadModel(string name, JsonElement element, string path)
    {
        ManifestValues.Object(element, path);
        string? connection = null;
        string? model = null;
        var kind = ModelSpec.Chat;
        foreach (var property in element.EnumerateObject())
        {
            var p = ManifestValues.Child(path, property.Name);
            switch (property.Name)
            {
                case "connection":
                    connection = ManifestValues.NonEmptyString(property.Value, p);
                    break;
                case "model":
                    model = ManifestValues.NonEmptyString(property.Value, p);
                    break;
                case "kind":
                    kind = ManifestValues.String(property.Value, p);
                    if (kind is not (ModelSpec.Chat or ModelSpec.Embeddings))
                    {
                        throw new ManifestException($"{p} must be chat or embeddings, got '{kind}'");
                    }

                    break;
                default:
                    throw new ManifestException($"{p} is not a key of a model (connection, model, kind)");
            }
        }

        return new ModelSpec
        {
            Name = name,
            Connection = connection ?? throw new ManifestException($"{path}.connection is missing (the name of an http connection)"),
            Model = model ?? throw new ManifestException($"{path}.model is missing (the provider's model id, e.g. gpt-4o-mini)"),
            Kind = kind,
        };
    }
}
