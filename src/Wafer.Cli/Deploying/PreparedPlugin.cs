using System.Text.Json;
using Wafer.Cli.Building;
using Wafer.Cli.Client;
using Wafer.Cli.Commands;
using Wafer.Protocol.Modus;

namespace Wafer.Cli.Deploying;

/// <summary>A deploy item made ready to upload: built when it is a project that needs it, its wasm and manifest read, its name decided.</summary>
public sealed record PreparedPlugin(DeployItem Item, string Name, string WasmPath, byte[] Wasm, byte[]? Manifest)
{
    /// <param name="build">Build a plugin project even when its output exists (<c>--build</c>).</param>
    public static async Task<PreparedPlugin> PrepareAsync(DeployItem item, bool build, Output output, CancellationToken cancellationToken)
    {
        if (PluginSource.IsProject(item.Path) && (build || !PluginSource.IsBuilt(item.Path)))
        {
            output.Line($"[grey]building {item.Path}…[/]");
            var code = await PluginBuilder.BuildAsync(item.Path, cancellationToken, stdoutToStderr: output.Json);
            if (code != ExitCodes.Ok)
            {
                throw new CliException(code, $"building {item.Path} failed; nothing was deployed");
            }
        }

        PluginSource source;
        try
        {
            source = PluginSource.Find(item.Path);
        }
        catch (Exception ex) when (ex is FileNotFoundException or InvalidOperationException)
        {
            throw new CliException(ExitCodes.Usage, ex.Message);
        }

        var wasm = await File.ReadAllBytesAsync(source.WasmPath, cancellationToken);
        var manifest = source.ManifestPath is null
            ? ModusManifestFor(source.WasmPath, wasm)
            : await File.ReadAllBytesAsync(source.ManifestPath, cancellationToken);
        var name = item.Name ?? NameIn(manifest, source.ManifestPath) ?? DefaultName(source);
        return new PreparedPlugin(item, name, source.WasmPath, wasm, manifest);
    }

    public string Size => Wasm.Length >= 1024 * 1024 ? $"{Wasm.Length / (1024.0 * 1024):0.0} MiB" : $"{Wasm.Length / 1024.0:0.0} KiB";

    private static string DefaultName(PluginSource source) =>
        source.ManifestPath is { } m && Path.GetFileName(m) == Wafer.Protocol.Manifest.PluginManifest.FileName
            ? Path.GetFileName(Path.GetDirectoryName(m))!
            : Path.GetFileNameWithoutExtension(source.WasmPath);

    /// <summary>
    /// A Modus app's <c>modus.json</c> (<c>NAME.modus.json</c> beside its wasm, or <c>modus.json</c> there or one folder
    /// up) wrapped as a Wafer manifest's <c>modus</c> key, so the fleet serves the app with its connections and auth.
    /// </summary>
    private static byte[]? ModusManifestFor(string wasmPath, byte[] wasm)
    {
        if (!ModusModule.Is(wasm))
        {
            return null;
        }

        var folder = Path.GetDirectoryName(wasmPath)!;
        var path = new[]
        {
            Path.Combine(folder, Path.GetFileNameWithoutExtension(wasmPath) + ".modus.json"),
            Path.Combine(folder, "modus.json"),
            Path.Combine(Path.GetDirectoryName(folder) ?? folder, "modus.json"),
        }.FirstOrDefault(File.Exists);
        if (path is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, JsonElement> { ["modus"] = document.RootElement.Clone() });
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Usage, $"{path}: not valid JSON: {ex.Message}");
        }
    }

    private static string? NameIn(byte[]? manifest, string? path)
    {
        if (manifest is null)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(manifest, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()
                : null;
        }
        catch (JsonException ex)
        {
            throw new CliException(ExitCodes.Usage, $"{path}: not valid JSON: {ex.Message}");
        }
    }
}
