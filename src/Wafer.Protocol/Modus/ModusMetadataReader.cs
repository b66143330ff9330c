using System.Text.Json;
using Wafer.Protocol.Metadata;

namespace Wafer.Protocol.Modus;

/// <summary>
/// Reads a Modus module's <c>modus_metadata_version</c> and <c>modus_metadata</c> sections. Every error is a
/// <see cref="MetadataException"/> that names the version, the JSON path or the type at fault.
/// </summary>
internal static class ModusMetadataReader
{
    public static ModusMetadata Parse(ReadOnlySpan<byte> version, ReadOnlySpan<byte> utf8Json)
    {
        if (version.Length != 1 || version[0] != ModusMetadata.SupportedVersion)
        {
            var shown = version.Length == 1 ? version[0].ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{version.Length} bytes";
            throw new MetadataException(
                $"unsupported Modus metadata version {shown} ({ModusMetadata.VersionSectionName}); this host reads version {ModusMetadata.SupportedVersion}, what the Modus SDKs since 0.13 write");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray());
        }
        catch (JsonException ex)
        {
            throw new MetadataException($"{ModusMetadata.SectionName} is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new MetadataException($"{ModusMetadata.SectionName}: $ must be a JSON object");
            }

            var sdk = Text(root, "sdk") ?? throw new MetadataException($"{ModusMetadata.SectionName}: $.sdk is missing");
            if (!sdk.StartsWith("modus-sdk-as", StringComparison.Ordinal))
            {
                throw new MetadataException(
                    $"{ModusMetadata.SectionName}: $.sdk is '{sdk}'; only modules built with the Modus AssemblyScript SDK (modus-sdk-as) are supported");
            }

            var types = ReadTypes(root);
            return new ModusMetadata(
                Text(root, "plugin") ?? "", sdk, Text(root, "buildId"), Text(root, "buildTs"), Text(root, "gitRepo"), Text(root, "gitCommit"),
                ReadFunctions(root, "fnExports"), ReadFunctions(root, "fnImports"), types);
        }
    }

    private static IReadOnlyList<ModusFunction> ReadFunctions(JsonElement root, string property)
    {
        if (!root.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        Expect(element, JsonValueKind.Object, "$." + property);
        var functions = new List<ModusFunction>();
        foreach (var function in element.EnumerateObject())
        {
            var path = $"$.{property}[\"{function.Name}\"]";
            Expect(function.Value, JsonValueKind.Object, path);
            var parameters = new List<ModusParameter>();
            if (function.Value.TryGetProperty("parameters", out var list) && list.ValueKind != JsonValueKind.Null)
            {
                Expect(list, JsonValueKind.Array, path + ".parameters");
                foreach (var parameter in list.EnumerateArray())
                {
                    var p = $"{path}.parameters[{parameters.Count}]";
                    Expect(parameter, JsonValueKind.Object, p);
                    var hasDefault = parameter.TryGetProperty("default", out var defaultValue);
                    parameters.Add(new ModusParameter(Text(parameter, "name") ?? throw Missing(p + ".name"), Type(parameter, p),
                        hasDefault, hasDefault ? defaultValue.Clone() : null));
                }
            }

            AsType? result = null;
            if (function.Value.TryGetProperty("results", out var results) && results.ValueKind != JsonValueKind.Null)
            {
                Expect(results, JsonValueKind.Array, path + ".results");
                if (results.GetArrayLength() > 1)
                {
                    throw new MetadataException($"{ModusMetadata.SectionName}: {path}.results has {results.GetArrayLength()} results; AssemblyScript functions return one");
                }

                if (results.GetArrayLength() == 1)
                {
                    result = Type(results[0], path + ".results[0]");
                }
            }

            functions.Add(new ModusFunction(function.Name, parameters, result, Docs(function.Value)));
        }

        return functions;
    }

    private static Dictionary<string, ModusTypeDefinition> ReadTypes(JsonElement root)
    {
        var types = new Dictionary<string, ModusTypeDefinition>(StringComparer.Ordinal);
        if (!root.TryGetProperty("types", out var element) || element.ValueKind == JsonValueKind.Null)
        {
            return types;
        }

        Expect(element, JsonValueKind.Object, "$.types");
        foreach (var type in element.EnumerateObject())
        {
            var path = $"$.types[\"{type.Name}\"]";
            Expect(type.Value, JsonValueKind.Object, path);
            if (!type.Value.TryGetProperty("id", out var id) || !id.TryGetInt32(out var classId) || classId < 0)
            {
                throw new MetadataException($"{ModusMetadata.SectionName}: {path}.id must be a class id (a non-negative integer)");
            }

            var fields = new List<ModusField>();
            if (type.Value.TryGetProperty("fields", out var list) && list.ValueKind != JsonValueKind.Null)
            {
                Expect(list, JsonValueKind.Array, path + ".fields");
                foreach (var field in list.EnumerateArray())
                {
                    var f = $"{path}.fields[{fields.Count}]";
                    Expect(field, JsonValueKind.Object, f);
                    fields.Add(new ModusField(Text(field, "name") ?? throw Missing(f + ".name"), Type(field, f), Docs(field)));
                }
            }

            var name = AsType.Parse(type.Name).Name;
            types[name] = new ModusTypeDefinition(name, classId, fields, Docs(type.Value));
        }

        return types;
    }

    private static AsType Type(JsonElement element, string path)
    {
        var text = Text(element, "type") ?? throw Missing(path + ".type");
        try
        {
            return AsType.Parse(text);
        }
        catch (FormatException ex)
        {
            throw new MetadataException($"{ModusMetadata.SectionName}: {path}.type: {ex.Message}");
        }
    }

    private static string? Docs(JsonElement element) =>
        element.TryGetProperty("docs", out var docs) && docs.ValueKind == JsonValueKind.Object &&
        docs.TryGetProperty("lines", out var lines) && lines.ValueKind == JsonValueKind.Array
            ? string.Join("\n", lines.EnumerateArray().Where(l => l.ValueKind == JsonValueKind.String).Select(l => l.GetString()))
            : null;

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static MetadataException Missing(string path) => new($"{ModusMetadata.SectionName}: {path} is missing");

    private static void Expect(JsonElement element, JsonValueKind kind, string path)
    {
        if (element.ValueKind != kind)
        {
            throw new MetadataException($"{ModusMetadata.SectionName}: {path} must be a JSON {kind.ToString().ToLowerInvariant()}");
        }
    }
}
