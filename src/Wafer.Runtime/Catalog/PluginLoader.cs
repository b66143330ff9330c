using Microsoft.Extensions.Options;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.Metadata;
using Wafer.Protocol.Modus;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Modus;
using Wafer.Runtime.Modus.Host;
using Wafer.Wasm;

namespace Wafer.Runtime.Catalog;

/// <summary>Reads, validates and compiles one plugin version. Never touches the catalog.</summary>
/// <param name="grants">Decides the host folder a command plugin's <c>files</c> gets.</param>
/// <param name="options">The runtime's limits on what a module may hold (<see cref="RuntimeOptions.MaxFunctions"/>).</param>
/// <param name="modus">Loads Modus apps (modules built with the Modus SDK); null where they are not served.</param>
public sealed class PluginLoader(WasmHost host, FolderGrants grants, IOptions<RuntimeOptions> options, ModusLoader? modus = null)
{
    public LoadedPlugin Load(PluginCandidate candidate)
    {
        if (IsModusManifest(candidate.ManifestPath) || (candidate.ManifestPath is null && LooksLikeModus(candidate.WasmPath)))
        {
            return LoadModus(candidate);
        }

        PluginManifest manifest;
        try
        {
            manifest = candidate.ManifestPath is null
                ? DefaultManifest(candidate.DefaultName)
                : ManifestReader.Load(candidate.ManifestPath, candidate.DefaultName);
        }
        catch (Exception ex) when (ex is ManifestException or IOException)
        {
            throw new PluginLoadException($"bad manifest: {ex.Message}", ex);
        }

        if (!File.Exists(candidate.WasmPath))
        {
            throw new PluginLoadException($"{candidate.WasmPath} does not exist (is the plugin built? run 'wafer build')");
        }

        byte[] wasm;
        try
        {
            wasm = File.ReadAllBytes(candidate.WasmPath);
        }
        catch (IOException ex)
        {
            throw new PluginLoadException($"cannot read {candidate.WasmPath}: {ex.Message}", ex);
        }

        var manifestFolder = Path.GetDirectoryName(Path.GetFullPath(candidate.ManifestPath ?? candidate.WasmPath))!;
        return Load(wasm, manifest, candidate.SourcePath, files => grants.ForLocal(files, manifestFolder));
    }

    /// <summary>
    /// Loads a plugin deployed through the API or placed by the orchestrator: a command plugin's <c>files</c> are in
    /// its data folder, or under a folder the operator allows (<see cref="FolderGrants.ForDeployed"/>).
    /// </summary>
    public LoadedPlugin Load(byte[] wasm, PluginManifest manifest, string sourcePath) =>
        Load(wasm, manifest, sourcePath, files => grants.ForDeployed(manifest.Name, files));

    private LoadedPlugin Load(byte[] wasm, PluginManifest manifest, string sourcePath, Func<GrantedFolder, string> grant)
    {
        try
        {
            host.CheckLimits(wasm, manifest.Name);
        }
        catch (WasmLoadException ex)
        {
            throw new PluginLoadException(ex.Message, ex);
        }

        if (modus is not null && manifest.Type == PluginType.Functions && ModusModule.Is(wasm))
        {
            return LoadModus(wasm, manifest, sourcePath);
        }

        return manifest.Type == PluginType.Command
            ? LoadCommand(wasm, manifest, sourcePath, grant)
            : LoadFunctions(wasm, manifest, sourcePath);
    }

    private LoadedPlugin LoadFunctions(byte[] wasm, PluginManifest manifest, string sourcePath)
    {
        PluginMetadata metadata;
        try
        {
            metadata = ModuleMetadata.Read(wasm);
        }
        catch (MetadataException ex)
        {
            var hint = ex.Message.StartsWith("module has no", StringComparison.Ordinal)
                ? " (for a WASI command module, set \"type\": \"command\" in the manifest)"
                : "";
            throw new PluginLoadException(ex.Message + hint, ex);
        }

        if (metadata.Functions.Count > options.Value.MaxFunctions)
        {
            throw new PluginLoadException(
                $"the module's metadata declares {metadata.Functions.Count} functions, over the limit of {options.Value.MaxFunctions} (--maxFunctions)");
        }

        foreach (var (resolver, function) in manifest.Resolvers)
        {
            if (!metadata.Functions.Any(f => f.Name == function))
            {
                throw new PluginLoadException($"bad manifest: $.resolvers[\"{resolver}\"] names '{function}', which the module does not export");
            }
        }

        WasmModule module;
        try
        {
            module = host.Load(wasm, manifest.Name, manifest.Limits, manifest.ReuseInstances);
        }
        catch (WasmLoadException ex)
        {
            throw new PluginLoadException(ex.Message, ex);
        }

        return new LoadedPlugin(manifest, metadata, module, sourcePath);
    }

    /// <summary>
    /// A Modus module with a Wafer manifest (deployed, uploaded, or <c>NAME.wafer.json</c>): its <c>modus</c> key is the
    /// app's <c>modus.json</c>; the Wafer manifest adds the name, limits and instance reuse.
    /// </summary>
    private LoadedPlugin LoadModus(byte[] wasm, PluginManifest manifest, string sourcePath)
    {
        if (manifest.Modus is not { } json)
        {
            return modus!.Load(wasm, manifest with { SecretPrefixes = new ValueList<string>(ModusManifest.SecretPrefixes) }, ModusManifest.Empty, sourcePath);
        }

        (PluginManifest Manifest, ModusManifest Modus) parsed;
        try
        {
            parsed = ModusManifestReader.Parse(System.Text.Encoding.UTF8.GetBytes(json), manifest.Name);
        }
        catch (ManifestException ex)
        {
            throw new PluginLoadException($"bad manifest: $.modus: {ex.Message}", ex);
        }

        // A reused instance keeps the environment of the call that created it, CLAIMS included: never across callers of an authenticated app.
        var reuse = manifest.ReuseInstances && !parsed.Modus.RequiresBearerToken;
        var combined = parsed.Manifest with { Limits = manifest.Limits, ReuseInstances = reuse, Version = manifest.Version, Modus = json };
        return modus!.Load(wasm, HypermodeModels.WithConnections(combined, parsed.Modus, options.Value.ModelHost), parsed.Modus, sourcePath);
    }

    /// <summary>True for <c>modus.json</c> and <c>NAME.modus.json</c>: a Modus app's manifest.</summary>
    public static bool IsModusManifest(string? path) =>
        path is not null && (Path.GetFileName(path) == ModusManifest.FileName || path.EndsWith(ModusManifest.FileSuffix, StringComparison.Ordinal));

    private bool LooksLikeModus(string wasmPath)
    {
        try
        {
            return modus is not null && File.Exists(wasmPath) && ModusModule.Is(File.ReadAllBytes(wasmPath));
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>A Modus app: its module with its <c>modus.json</c> (or none: no connections), served under the candidate's name.</summary>
    private LoadedPlugin LoadModus(PluginCandidate candidate)
    {
        if (modus is null)
        {
            throw new PluginLoadException("Modus apps are not served by this host");
        }

        if (!File.Exists(candidate.WasmPath))
        {
            throw new PluginLoadException($"{candidate.WasmPath} does not exist (build the Modus app, or copy its build output here)");
        }

        byte[] wasm;
        try
        {
            wasm = File.ReadAllBytes(candidate.WasmPath);
        }
        catch (IOException ex)
        {
            throw new PluginLoadException($"cannot read {candidate.WasmPath}: {ex.Message}", ex);
        }

        if (!ModusModule.Is(wasm))
        {
            // A Wafer plugin beside an app folder's modus.json: the Modus manifest is not its own.
            var folder = Path.GetDirectoryName(Path.GetFullPath(candidate.WasmPath))!;
            return Load(wasm, DefaultManifest(candidate.DefaultName), candidate.SourcePath, files => grants.ForLocal(files, folder));
        }

        var name = ManifestReader.IsValidName(candidate.DefaultName)
            ? candidate.DefaultName
            : throw new PluginLoadException($"'{candidate.DefaultName}' is not a valid plugin name (a-z, 0-9, '-', '_'); rename the file or folder");
        (PluginManifest Manifest, ModusManifest Modus) manifests;
        try
        {
            manifests = candidate.ManifestPath is null
                ? (PluginManifest.ForName(name) with { SecretPrefixes = new ValueList<string>(ModusManifest.SecretPrefixes) }, ModusManifest.Empty)
                : ModusManifestReader.Load(candidate.ManifestPath, name);
        }
        catch (Exception ex) when (ex is ManifestException or IOException)
        {
            throw new PluginLoadException($"bad {ModusManifest.FileName}: {ex.Message}", ex);
        }

        try
        {
            host.CheckLimits(wasm, manifests.Manifest.Name);
        }
        catch (WasmLoadException ex)
        {
            throw new PluginLoadException(ex.Message, ex);
        }

        return modus.Load(wasm, HypermodeModels.WithConnections(manifests.Manifest, manifests.Modus, options.Value.ModelHost), manifests.Modus, candidate.SourcePath);
    }

    private LoadedPlugin LoadCommand(byte[] wasm, PluginManifest manifest, string sourcePath, Func<GrantedFolder, string> grant)
    {
        var folder = manifest.Files is { } files ? grant(files) : null;
        try
        {
            return new LoadedPlugin(manifest, host.LoadCommand(wasm, manifest.Name, manifest.Limits), sourcePath, folder);
        }
        catch (WasmLoadException ex)
        {
            throw new PluginLoadException(ex.Message, ex);
        }
    }

    private static PluginManifest DefaultManifest(string name) =>
        ManifestReader.IsValidName(name)
            ? PluginManifest.ForName(name)
            : throw new PluginLoadException(
                $"'{name}' is not a valid plugin name (a-z, 0-9, '-', '_'); rename the file or add {name}{PluginFolder.ManifestSuffix} with a \"name\"");
}
