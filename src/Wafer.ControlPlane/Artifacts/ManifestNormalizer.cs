using System.Text.Json;
using System.Text.Json.Nodes;
using Wafer.Protocol.Manifest;

namespace Wafer.ControlPlane.Artifacts;

/// <summary>
/// Turns an uploaded <c>wafer.json</c> into the manifest a runtime receives in <c>create_module</c>: strict JSON,
/// named after the deployment, without the project-only <c>wasm</c> path, and valid by the manifest rules.
/// </summary>
internal static class ManifestNormalizer
{
    private static readonly JsonDocumentOptions Lenient = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Throws <see cref="ManifestException"/> naming the problem.</summary>
    public static string Normalize(string? manifest, string name)
    {
        JsonObject root;
        try
        {
            root = string.IsNullOrWhiteSpace(manifest)
                ? []
                : JsonNode.Parse(manifest, documentOptions: Lenient) as JsonObject ?? throw new ManifestException("$ must be a JSON object");
        }
        catch (JsonException ex)
        {
            throw new ManifestException($"manifest is not valid JSON: {ex.Message}");
        }

        root["name"] = name;
        root.Remove("wasm");
        var text = root.ToJsonString();
        ManifestReader.Parse(System.Text.Encoding.UTF8.GetBytes(text));
        return text;
    }

    /// <summary>
    /// What a runtime must support (announce <c>kinds</c>) to host a plugin with this normalized manifest: <c>functions</c>
    /// for typed functions, <c>http</c> for a command module with routes, <c>jobs</c> for any other command module.
    /// </summary>
    public static string KindOf(string manifest)
    {
        try
        {
            var parsed = ManifestReader.Parse(System.Text.Encoding.UTF8.GetBytes(manifest));
            return parsed.Type == PluginType.Functions ? Fleet.Deployment.FunctionsKind : parsed.Routes.Count > 0 ? "http" : "jobs";
        }
        catch (ManifestException)
        {
            return Fleet.Deployment.FunctionsKind;
        }
    }

    /// <summary>The <c>name</c> in a manifest, if it has a string one (for defaulting a deployment's name).</summary>
    public static string? NameIn(string? manifest)
    {
        if (string.IsNullOrWhiteSpace(manifest))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(manifest, documentOptions: Lenient) is JsonObject o && o["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
