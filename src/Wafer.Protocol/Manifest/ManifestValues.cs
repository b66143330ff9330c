using System.Text.Json;

namespace Wafer.Protocol.Manifest;

/// <summary>Typed reads of manifest values; every failure is a <see cref="ManifestException"/> naming its path.</summary>
internal static class ManifestValues
{
    public static void Object(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestException($"{path} must be a JSON object");
        }
    }

    public static string String(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new ManifestException($"{path} must be a string");

    public static string NonEmptyString(JsonElement element, string path)
    {
        var value = String(element, path);
        return value.Trim().Length > 0 ? value : throw new ManifestException($"{path} must not be empty");
    }

    public static int Integer(JsonElement element, string path, int min, int max)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value))
        {
            throw new ManifestException($"{path} must be an integer");
        }

        if (value < min || value > max)
        {
            throw new ManifestException($"{path} must be between {min} and {max}, got {value}");
        }

        return (int)value;
    }

    /// <summary>A JSON object of string values, each key checked by <paramref name="checkKey"/> (null when fine).</summary>
    public static ManifestMap<string> StringMap(JsonElement element, string path, Func<string, string?> checkKey)
    {
        Object(element, path);
        var items = new List<KeyValuePair<string, string>>();
        foreach (var property in element.EnumerateObject())
        {
            var p = Child(path, property.Name);
            if (checkKey(property.Name) is { } problem)
            {
                throw new ManifestException($"{p}: {problem}");
            }

            items.Add(new(property.Name, String(property.Value, p)));
        }

        return new ManifestMap<string>(items);
    }

    /// <summary>The path of a child key: <c>$.a.b</c>, or <c>$.a["odd key"]</c> when the key is not a plain name.</summary>
    public static string Child(string path, string key)
    {
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            {
                return $"{path}[{JsonSerializer.Serialize(key)}]";
            }
        }

        return key.Length == 0 ? $"{path}[\"\"]" : $"{path}.{key}";
    }

    /// <summary>Checks a placeholder-bearing string: every <c>{{</c> must start a well-formed <c>{{NAME}}</c>.</summary>
    public static void Template(string value, string path)
    {
        if (SecretTemplate.FindMalformed(value) is { } fragment)
        {
            throw new ManifestException(
                $"{path} has a malformed secret placeholder near '{fragment}': write {{{{NAME}}}} with letters, digits and '_'");
        }
    }
}
