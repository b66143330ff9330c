using System.Text.Json;
using Wafer.Cli.Client;
using Wafer.Protocol.Manifest;

namespace Wafer.Cli.Deploying;

/// <summary>
/// Reads a <c>deploy.json</c>: <c>{"plugins": [{"path", "name", "replicas", "labels": {k: v}, "config": {k: v}}]}</c>,
/// paths relative to the file. Every mistake is a usage <see cref="CliException"/> naming its JSON path.
/// </summary>
public static class DeployFile
{
    private static readonly HashSet<string> Keys = ["path", "name", "replicas", "labels", "config"];

    /// <summary>True for a <c>.json</c> file that is not a plugin manifest (<c>wafer.json</c>, <c>NAME.wafer.json</c>).</summary>
    public static bool IsDeployFile(string path) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
        && !path.EndsWith(".wafer.json", StringComparison.OrdinalIgnoreCase)
        && !string.Equals(System.IO.Path.GetFileName(path), PluginManifest.FileName, StringComparison.OrdinalIgnoreCase)
        && File.Exists(path);

    public static IReadOnlyList<DeployItem> Read(string path)
    {
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw Error(path, $"not valid JSON: {ex.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Error(path, "$: must be an object with a \"plugins\" array");
            }

            foreach (var property in root.EnumerateObject().Where(p => p.Name != "plugins"))
            {
                throw Error(path, $"$.{property.Name}: unknown key (expected \"plugins\")");
            }

            if (!root.TryGetProperty("plugins", out var plugins) || plugins.ValueKind != JsonValueKind.Array || plugins.GetArrayLength() == 0)
            {
                throw Error(path, "$.plugins: must be a non-empty array of plugins");
            }

            var items = new List<DeployItem>();
            var index = 0;
            foreach (var plugin in plugins.EnumerateArray())
            {
                items.Add(ReadItem(path, folder, $"$.plugins[{index++}]", plugin));
            }

            foreach (var duplicate in items.Where(i => i.Name is not null).GroupBy(i => i.Name).Where(g => g.Count() > 1))
            {
                throw Error(path, $"$.plugins: the name '{duplicate.Key}' is used {duplicate.Count()} times");
            }

            return items;
        }
    }

    private static DeployItem ReadItem(string file, string folder, string at, JsonElement plugin)
    {
        if (plugin.ValueKind != JsonValueKind.Object)
        {
            throw Error(file, $"{at}: must be an object with at least \"path\"");
        }

        foreach (var property in plugin.EnumerateObject().Where(p => !Keys.Contains(p.Name)))
        {
            throw Error(file, $"{at}.{property.Name}: unknown key (expected path, name, replicas, labels, config)");
        }

        if (!plugin.TryGetProperty("path", out var pathElement) || pathElement.ValueKind != JsonValueKind.String || pathElement.GetString() is not { Length: > 0 } relative)
        {
            throw Error(file, $"{at}.path: required, the .wasm file or plugin folder (relative to this file)");
        }

        string? name = null;
        if (plugin.TryGetProperty("name", out var nameElement))
        {
            name = nameElement.ValueKind == JsonValueKind.String ? nameElement.GetString() : null;
            if (!ManifestReader.IsValidName(name))
            {
                throw Error(file, $"{at}.name: {nameElement.GetRawText()} is not a valid name (1-64 characters of a-z, 0-9, '-' and '_')");
            }
        }

        var replicas = 1;
        if (plugin.TryGetProperty("replicas", out var replicasElement)
            && (replicasElement.ValueKind != JsonValueKind.Number || !replicasElement.TryGetInt32(out replicas) || replicas < 1))
        {
            throw Error(file, $"{at}.replicas: must be a whole number of at least 1, got {replicasElement.GetRawText()}");
        }

        return new DeployItem(
            System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, relative)),
            name,
            replicas,
            Strings(file, $"{at}.labels", plugin, "labels"),
            Strings(file, $"{at}.config", plugin, "config"));
    }

    private static Dictionary<string, string> Strings(string file, string at, JsonElement plugin, string key)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!plugin.TryGetProperty(key, out var element))
        {
            return map;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Error(file, $"{at}: must be an object of strings, e.g. {{\"zone\": \"a\"}}");
        }

        foreach (var property in element.EnumerateObject())
        {
            map[property.Name] = property.Value.ValueKind == JsonValueKind.String
                ? property.Value.GetString()!
                : throw Error(file, $"{at}.{property.Name}: must be a string, got {property.Value.GetRawText()}");
        }

        return map;
    }

    private static CliException Error(string file, string message) => new(ExitCodes.Usage, $"{file}: {message}");
}
