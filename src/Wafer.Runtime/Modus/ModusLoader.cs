using Wafer.Protocol.Manifest;
using Wafer.Protocol.Metadata;
using Wafer.Protocol.Modus;
using Wafer.Runtime.Catalog;
using Wafer.Runtime.Modus.Host;
using Wafer.Wasm;

namespace Wafer.Runtime.Modus;

/// <summary>
/// Loads a module built with the Modus AssemblyScript SDK: reads its <c>modus_metadata</c>, maps its exports to
/// Wafer's function model and compiles it with <see cref="ModusAbi"/> as its calling convention, through the same
/// compiled-code cache and limits as any plugin. An unsupported metadata version, a type or an import Wafer does
/// not provide refuses the module with a message naming it.
/// </summary>
public sealed class ModusLoader
{
    private readonly WasmHost _host;
    private readonly ModusHostFunctions _functions;
    private readonly ModusEnvironment _environment = new();

    internal ModusLoader(WasmHost host, ModusHostFunctions functions)
    {
        _host = host;
        _functions = functions;
    }

    /// <summary>A loader outside dependency injection (benchmarks, tools), with these host modules.</summary>
    public static ModusLoader Create(WasmHost host, IEnumerable<IModusHostModule> modules) => new(host, new ModusHostFunctions(modules));

    public LoadedPlugin Load(byte[] wasm, PluginManifest manifest, ModusManifest modusManifest, string sourcePath)
    {
        ModusMetadata metadata;
        ModusFunctionModel model;
        try
        {
            (metadata, model) = ModusModule.ReadMetadata(wasm);
        }
        catch (MetadataException ex)
        {
            throw new PluginLoadException(ex.Message, ex);
        }

        var app = new ModusApp(manifest, modusManifest, metadata);
        var abi = new ModusAbi(app, model, _functions, _environment);
        app.Abi = abi;
        WasmModule module;
        try
        {
            module = _host.Load(wasm, manifest.Name, manifest.Limits, manifest.ReuseInstances, abi);
        }
        catch (WasmLoadException ex)
        {
            throw new PluginLoadException(ex.Message, ex);
        }

        return new LoadedPlugin(manifest, model.Metadata, module, sourcePath) { Modus = app };
    }
}
