using Microsoft.Extensions.Options;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.Metadata;
using Wafer.Runtime.Hosting;
using Wafer.Wasm;

namespace Wafer.Runtime.Catalog;

/// <summary>Reads, validates and compiles one plugin version. Never touches the catalog.</summary>
/// <param name="grants">Decides the host folder a command plugin's <c>files</c> gets.</param>
/// <param name="options">The runtime's limits on what a module may hold (<see cref="RuntimeOptions.MaxFunctions"/>).</param>
public sealed class PluginLoader(WasmHost host, FolderGrants grants, IOptions<RuntimeOptions> options)
{
    public LoadedPlugin Load(PluginCandidate candidate)
    {
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

        return manifest.Type == PluginType.Command
            ? LoadCommand(wasm, manifest, sourcePath, grant)
            : LoadFunctions(wasm, manifest, sourcePath);
    }

    private LoadedPlugin LoadFunctions(byte[] wasm, PluginManifest manifest, string sourcePath)
    {
        PluginMetadata metadata;
        try
        {
            metadata = WasmHost.ReadMetadata(wasm);
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
