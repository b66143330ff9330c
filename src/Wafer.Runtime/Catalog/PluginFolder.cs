using Wafer.Protocol.Manifest;
using Wafer.Protocol.Modus;

namespace Wafer.Runtime.Catalog;

/// <summary>
/// Finds plugins in a folder: each <c>NAME.wasm</c> (with an optional <c>NAME.wafer.json</c> manifest beside it)
/// and each sub-folder holding a <c>wafer.json</c> (a plugin project, served from its build output). A folder that is
/// itself a plugin project (its own <c>wafer.json</c>), or a built Modus app's source folder, is that one plugin.
/// </summary>
internal static class PluginFolder
{
    public const string ManifestSuffix = ".wafer.json";

    public static IReadOnlyList<PluginCandidate> Scan(string folder)
    {
        // The plugins folder may be one plugin's own project (Hypermode's workflow: --plugins ../my-plugin), served from its build output.
        var ownManifest = Path.Combine(folder, PluginManifest.FileName);
        if (File.Exists(ownManifest))
        {
            return [ProjectCandidate(folder, ownManifest)];
        }

        var candidates = new List<PluginCandidate>();
        var folderModus = Path.Combine(folder, ModusManifest.FileName);
        if (File.Exists(folderModus) && !Directory.EnumerateFiles(folder, "*.wasm").Any() && Directory.Exists(Path.Combine(folder, "build")))
        {
            return [ModusAppCandidate(folder, folderModus)]; // a Modus app's source folder after 'modus build'
        }

        foreach (var wasm in Directory.EnumerateFiles(folder, "*.wasm"))
        {
            var stem = Path.GetFileNameWithoutExtension(wasm);
            var manifest = Path.Combine(folder, stem + ManifestSuffix);
            var modus = Path.Combine(folder, stem + ModusManifest.FileSuffix);
            candidates.Add(Candidate(wasm, stem, wasm,
                File.Exists(manifest) ? manifest : File.Exists(modus) ? modus : File.Exists(folderModus) ? folderModus : null));
        }

        foreach (var directory in Directory.EnumerateDirectories(folder))
        {
            if (Path.GetFileName(directory).StartsWith('.') || Path.GetFileName(directory) == "node_modules")
            {
                continue;
            }

            var manifest = Path.Combine(directory, PluginManifest.FileName);
            var modus = Path.Combine(directory, ModusManifest.FileName);
            if (File.Exists(manifest))
            {
                candidates.Add(ProjectCandidate(directory, manifest));
            }
            else if (File.Exists(modus))
            {
                candidates.Add(ModusAppCandidate(directory, modus));
            }
        }

        return candidates;
    }

    /// <summary>
    /// Sub-folders <see cref="Scan"/> passes over that look meant as plugins: they hold <c>.wasm</c> files but neither a
    /// <c>wafer.json</c> nor a <c>modus.json</c>, so none of their modules is served.
    /// </summary>
    public static IReadOnlyList<string> IgnoredFolders(string folder)
    {
        if (File.Exists(Path.Combine(folder, PluginManifest.FileName)) || !Directory.Exists(folder))
        {
            return [];
        }

        return
        [
            .. Directory.EnumerateDirectories(folder)
                .Where(d => !Path.GetFileName(d).StartsWith('.') && Path.GetFileName(d) != "node_modules")
                .Where(d => !File.Exists(Path.Combine(d, PluginManifest.FileName)) && !File.Exists(Path.Combine(d, ModusManifest.FileName)))
                .Where(d => Directory.EnumerateFiles(d, "*.wasm").Any())
                .Order(StringComparer.Ordinal),
        ];
    }

    /// <summary>A plugin project folder; its wasm is the manifest's <c>wasm</c> path or <c>build/NAME.wasm</c>.</summary>
    public static PluginCandidate ProjectCandidate(string directory, string manifestPath)
    {
        var folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        string wasm;
        try
        {
            var manifest = ManifestReader.Load(manifestPath, folderName);
            wasm = Path.Combine(directory, manifest.Wasm ?? Path.Combine("build", manifest.Name + ".wasm"));
        }
        catch (ManifestException)
        {
            // The loader reports the manifest error; the fingerprint still tracks the manifest file.
            wasm = Path.Combine(directory, "build", folderName + ".wasm");
        }

        return Candidate(directory, folderName, wasm, manifestPath);
    }

    /// <summary>
    /// A Modus app folder: its <c>modus.json</c> and the one <c>.wasm</c> beside it (a copied Modus build output),
    /// else the one in its <c>build/</c> folder (the app's source folder after <c>modus build</c>).
    /// </summary>
    public static PluginCandidate ModusAppCandidate(string directory, string manifestPath)
    {
        var folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        var wasm = Directory.EnumerateFiles(directory, "*.wasm").Order(StringComparer.Ordinal).FirstOrDefault()
            ?? (Directory.Exists(Path.Combine(directory, "build"))
                ? Directory.EnumerateFiles(Path.Combine(directory, "build"), "*.wasm").Order(StringComparer.Ordinal).FirstOrDefault()
                : null)
            ?? Path.Combine(directory, folderName + ".wasm");
        return Candidate(directory, folderName, wasm, manifestPath);
    }

    private static PluginCandidate Candidate(string source, string defaultName, string wasm, string? manifest) =>
        new(source, defaultName, wasm, manifest, Fingerprint(wasm) + "|" + (manifest is null ? "" : Fingerprint(manifest)));

    private static string Fingerprint(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? $"{info.Length}:{info.LastWriteTimeUtc.Ticks}" : "missing";
    }
}
