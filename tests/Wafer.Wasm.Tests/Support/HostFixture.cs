using Wafer.Protocol.Manifest;

namespace Wafer.Wasm.Tests.Support;

/// <summary>One host for the whole run (engines are costly), with its own throw-away cache directory.</summary>
public sealed class HostFixture : IDisposable
{
    private readonly Dictionary<(string, PluginLimits, bool), WasmModule> _modules = [];

    public HostFixture()
    {
        CacheDirectory = TempDirectory.Create("wafer-wasm-tests");
        Host = new WasmHost(TestOptions(CacheDirectory), new RecordingLogger<WasmHost>());
    }

    public WasmHost Host { get; }

    public string CacheDirectory { get; }

    public static WasmHostOptions TestOptions(string cacheDirectory) => new()
    {
        CacheDirectory = cacheDirectory,
        PoolTotalInstances = 200,
    };

    /// <summary>The fixture module <paramref name="name"/>, loaded once per limits and reuse flag.</summary>
    public WasmModule Module(string name, PluginLimits? limits = null, bool reuse = false)
    {
        limits ??= PluginLimits.Default;
        lock (_modules)
        {
            if (!_modules.TryGetValue((name, limits, reuse), out var module))
            {
                module = Host.Load(Guests.Bytes(name), name, limits, reuse);
                _modules.Add((name, limits, reuse), module);
            }

            return module;
        }
    }

    public void Dispose()
    {
        foreach (var module in _modules.Values)
        {
            module.Dispose();
        }

        Host.Dispose();
        TempDirectory.Delete(CacheDirectory);
    }
}
