using System.Globalization;
using System.Text.Json;

namespace Wafer.Cli.Configuration;

/// <summary>
/// The configuration file of the server commands (docs/cli.md, "Configuration"): a JSON object whose keys are the
/// flags without dashes (<c>"port": 8686</c>, <c>"drainTimeout": "5m"</c>), with an optional object per server command
/// (<c>"orchestrator": { "port": 9000 }</c>) whose keys apply to that command alone and win over the top level.
/// Comments and trailing commas are allowed. A list (<c>"allowFolders": ["/srv/a", "/srv/b"]</c>) is the flag's
/// comma-separated value.
/// </summary>
public static class ConfigFile
{
    /// <summary>Where the server commands look when neither <c>--config</c> nor <c>WAFER_CONFIG</c> names a file.</summary>
    public static string DefaultPath() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".wafer", "config.json");

    private static readonly JsonDocumentOptions Reading = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>
    /// Every value in the file at <paramref name="path"/>, keys as written (whether a command knows them is the
    /// caller's to judge); <paramref name="sections"/> are the names an object may have to be a command's section.
    /// Throws <see cref="ConfigurationException"/> naming the file (and the key) when it cannot be read.
    /// </summary>
    public static IReadOnlyList<SettingValue> Read(string path, IReadOnlySet<string> sections)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"{path}: {ex.Message}");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Reading);
        }
        catch (JsonException ex)
        {
            throw new ConfigurationException($"{path}: not valid JSON ({ex.Message})");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationException($"{path}: the file must hold one JSON object of settings");
            }

            var values = new List<SettingValue>();
            if (document.RootElement.EnumerateObject().Any(p => Wafer.ControlPlane.Hosting.SilverLineConfig.MarkerKeys.Contains(p.Name)))
            {
                return values; // SilverLine's config.json: `wafer orchestrator` maps its keys (docs/silverline.md)
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.Object && sections.Contains(property.Name))
                {
                    foreach (var inner in property.Value.EnumerateObject())
                    {
                        values.Add(new SettingValue(inner.Name, Text(inner.Value, $"{path}: {property.Name}.{inner.Name}"), $"{path}: {property.Name}.{inner.Name}", property.Name));
                    }
                }
                else
                {
                    values.Add(new SettingValue(property.Name, Text(property.Value, $"{path}: {property.Name}"), $"{path}: {property.Name}"));
                }
            }

            return values;
        }
    }

    private static string Text(JsonElement value, string source) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Array when value.EnumerateArray().All(e => e.ValueKind is JsonValueKind.String or JsonValueKind.Number) =>
            string.Join(',', value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())),
        _ => throw new ConfigurationException(string.Create(CultureInfo.InvariantCulture,
            $"{source}: expected a string, a number, true or false, or a list of strings, got {value.ValueKind.ToString().ToLowerInvariant()}")),
    };
}
