using System.Text.Json;

namespace Wafer.Protocol.Manifest;

/// <summary>Reads <c>wafer.json</c>; unknown keys and wrong types are errors that name their JSON path.</summary>
public static partial class ManifestReader
{
    public static PluginManifest Parse(ReadOnlySpan<byte> utf8Json, string? defaultName = null)
    {
        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            throw new ManifestException($"manifest is not valid JSON: {ex.Message}");
        }

        using (document)
        {
            return Read(document.RootElement, defaultName);
        }
    }

    public static PluginManifest Load(string path, string? defaultName = null)
    {
        try
        {
            return Parse(File.ReadAllBytes(path), defaultName);
        }
        catch (ManifestException ex)
        {
            throw new ManifestException($"{path}: {ex.Message}");
        }
    }

    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 64 || !(char.IsAsciiLetterLower(name[0]) || char.IsAsciiDigit(name[0])))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    private static PluginManifest Read(JsonElement root, string? defaultName)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestException("$ must be a JSON object");
        }

        string? name = defaultName;
        string? version = null;
        string? wasm = null;
        var reuse = false;
        var limits = PluginLimits.Default;
        var type = PluginType.Functions;
        GrantedFolder? files = null;
        var routes = ValueList<PluginRoute>.Empty;
        var connections = ManifestMap<ConnectionSpec>.Empty;
        var models = ManifestMap<ModelSpec>.Empty;
        var config = ManifestMap<string>.Empty;
        var resolvers = ManifestMap<string>.Empty;
        string? modus = null;
        var triggers = ValueList<TriggerSpec>.Empty;
        foreach (var property in root.EnumerateObject())
        {
            var path = "$." + property.Name;
            switch (property.Name)
            {
                case "$schema":
                    break;
                case "name":
                    name = String(property.Value, path);
                    if (!IsValidName(name))
                    {
                        throw new ManifestException(
                            $"{path} must be 1-64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit; got '{name}'");
                    }

                    break;
                case "version":
                    version = String(property.Value, path);
                    break;
                case "wasm":
                    wasm = String(property.Value, path);
                    break;
                case "reuseInstances":
                    reuse = property.Value.ValueKind switch
                    {
                        JsonValueKind.True => true,
                        JsonValueKind.False => false,
                        _ => throw new ManifestException($"{path} must be true or false"),
                    };
                    break;
                case "limits":
                    limits = ReadLimits(property.Value, path);
                    break;
                case "type":
                    type = ReadType(property.Value, path);
                    break;
                case "files":
                    files = ReadFiles(property.Value, path);
                    break;
                case "routes":
                    routes = ReadRoutes(property.Value, path);
                    break;
                case "connections":
                    connections = ConnectionsReader.Read(property.Value, path);
                    break;
                case "models":
                    models = ModelsReader.Read(property.Value, path);
                    break;
                case "config":
                    config = ConfigReader.Read(property.Value, path);
                    break;
                case "resolvers":
                    resolvers = ResolversReader.Read(property.Value, path);
                    break;
                case "modus":
                    modus = ReadModus(property.Value, path);
                    break;
                case "triggers":
                    triggers = TriggersReader.Read(property.Value, path);
                    break;
                default:
                    throw new ManifestException($"{path} is not a known manifest key");
            }
        }

        if (name is null)
        {
            throw new ManifestException("$.name is missing");
        }

        CheckCommandKeys(type, files, routes);
        TriggersReader.CheckType(triggers, type);
        ModelsReader.CheckConnections(models, connections, "$.models");
        return new PluginManifest
        {
            Name = name, Version = version, Wasm = wasm, ReuseInstances = reuse, Limits = limits, Type = type, Files = files, Routes = routes,
            Connections = connections, Models = models, Config = config, Resolvers = resolvers, Modus = modus,
            Triggers = triggers,
        };
    }

    /// <summary>A Modus app's <c>modus.json</c>, checked by the Modus manifest's rules and kept as compact JSON.</summary>
    private static string ReadModus(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestException($"{path} must be a JSON object: the app's modus.json");
        }

        var text = System.Text.Json.JsonSerializer.Serialize(element);
        try
        {
            Modus.ModusManifestReader.Parse(System.Text.Encoding.UTF8.GetBytes(text), "app");
        }
        catch (ManifestException ex)
        {
            throw new ManifestException(ex.Message.StartsWith("$", StringComparison.Ordinal) ? path + ex.Message[1..] : $"{path}: {ex.Message}");
        }

        return text;
    }

    private static PluginLimits ReadLimits(JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ManifestException($"{path} must be a JSON object");
        }

        var limits = PluginLimits.Default;
        foreach (var property in element.EnumerateObject())
        {
            var p = $"{path}.{property.Name}";
            limits = property.Name switch
            {
                "timeoutMs" => limits with { TimeoutMs = (int)Integer(property.Value, p, 1, PluginLimits.MaxTimeoutMs) },
                "memoryMb" => limits with { MemoryMb = (int)Integer(property.Value, p, 1, PluginLimits.MaxMemoryMb) },
                "fuel" => limits with
                {
                    Fuel = property.Value.ValueKind == JsonValueKind.Null ? null : Integer(property.Value, p, 1, long.MaxValue),
                },
                _ => throw new ManifestException($"{p} is not a known limit (timeoutMs, memoryMb, fuel)"),
            };
        }

        return limits;
    }

    private static string String(JsonElement element, string path) =>
        element.ValueKind == JsonValueKind.String
            ? element.GetString()!
            : throw new ManifestException($"{path} must be a string");

    private static long Integer(JsonElement element, string path, long min, long max)
    {
        if (element.ValueKind != JsonValueKind.Number || !element.TryGetInt64(out var value))
        {
            throw new ManifestException($"{path} must be an integer");
        }

        if (value < min || value > max)
        {
            throw new ManifestException($"{path} must be between {min} and {max}, got {value}");
        }

        return value;
    }
}
