using Wafer.Protocol.Manifest;
using Wafer.Protocol.Metadata;
using Wafer.Wasm;

namespace Wafer.Runtime.Catalog;

/// <summary>Reads, validates and compiles one plugin version. Never touches the catalog.</summary>
public sealed class PluginLoader(WasmHost host)
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

        return Load(wasm, manifest, candidate.SourcePath);
    }

    public LoadedPlugin Load(byte[] wasm, PluginManifest manifest, string sourcePath)
    {
        PluginMetadata metadata;
        try
        {
            metadata = WasmHost.ReadMetadata(wasm);
        }
        catch (MetadataException ex)
        {
            throw new PluginLoadException(ex.Message, ex);
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

    private static PluginManifest DefaultManifest(string name) =>
        ManifestReader.IsValidName(name)
            ? PluginManifest.ForName(name)
            : throw new PluginLoadException(
                $"'{name}' is not a valid plugin name (a-z, 0-9, '-', '_'); rename the file or add {name}{PluginFolder.ManifestSuffix} with a \"name\"");
}
