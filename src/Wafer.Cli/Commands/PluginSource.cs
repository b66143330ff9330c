using System.Text.Json.Nodes;
using Wafer.Protocol.Manifest;

namespace Wafer.Cli.Commands;

/// <summary>
/// The wasm and manifest to deploy, found from what the user pointed at: a <c>.wasm</c> file (with <c>NAME.wafer.json</c>
/// beside it when there is one), a plugin project folder (<c>wafer.json</c> and its build output), or a folder holding
/// exactly one <c>.wasm</c>.
/// </summary>
public sealed record PluginSource(string WasmPath, string? ManifestPath)
{
    /// <summary>Throws <see cref="FileNotFoundException"/> or <see cref="InvalidOperationException"/> saying what is missing.</summary>
    public static PluginSource Find(string path)
    {
        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            if (!full.EndsWith(".wasm", StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException($"{path} is not a .wasm file or a plugin folder");
            }

            var manifest = Path.Combine(Path.GetDirectoryName(full)!, Path.GetFileNameWithoutExtension(full) + ".wafer.json");
            return new PluginSource(full, File.Exists(manifest) ? manifest : null);
        }

        if (!Directory.Exists(full))
        {
            throw new FileNotFoundException($"{path} does not exist");
        }

        var project = Path.Combine(full, PluginManifest.FileName);
        if (File.Exists(project))
        {
            var wasm = Path.GetFullPath(Path.Combine(full, ProjectWasm(project, Path.GetFileName(full))));
            return File.Exists(wasm)
                ? new PluginSource(wasm, project)
                : throw new FileNotFoundException($"{wasm} does not exist: build the plugin first (wafer build {path})");
        }

        var candidates = Directory.GetFiles(full, "*.wasm");
        if (candidates.Length == 0 && File.Exists(Path.Combine(full, "modus.json")) && Directory.Exists(Path.Combine(full, "build")))
        {
            candidates = Directory.GetFiles(Path.Combine(full, "build"), "*.wasm"); // a Modus app's source folder after modus build
        }

        return candidates.Length switch
        {
            1 => Find(candidates[0]),
            0 => throw new FileNotFoundException($"{path} has no wafer.json and no .wasm file"),
            _ => throw new InvalidOperationException($"{path} holds {candidates.Length} .wasm files: name the one to deploy"),
        };
    }

    /// <summary>True for a plugin project folder (one with <c>wafer.json</c>).</summary>
    public static bool IsProject(string path) => Directory.Exists(path) && File.Exists(Path.Combine(path, PluginManifest.FileName));

    /// <summary>True when a plugin project's wasm exists (it may still be older than its sources).</summary>
    public static bool IsBuilt(string projectPath)
    {
        var full = Path.GetFullPath(projectPath);
        return File.Exists(Path.GetFullPath(Path.Combine(full, ProjectWasm(Path.Combine(full, PluginManifest.FileName), Path.GetFileName(full)))));
    }

    private static string ProjectWasm(string manifestPath, string folderName)
    {
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(manifestPath), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (root?["wasm"]?.GetValue<string>() is { Length: > 0 } configured)
            {
                return configured;
            }

            var name = root?["name"]?.GetValue<string>() ?? folderName;
            return Path.Combine("build", name + ".wasm");
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{manifestPath}: {ex.Message}");
        }
    }
}
