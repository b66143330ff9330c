using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Wafer.Protocol.Manifest;
using Wafer.Wasm;

namespace Wafer.Benchmarks;

/// <summary>Loading a plugin whose compiled code is already in the disk cache (the restart path; budget 5 ms).</summary>
[MemoryDiagnoser]
public class LoadBenchmarks
{
    private WasmHost _host = null!;
    private byte[] _wasm = null!;

    [GlobalSetup]
    public void Setup()
    {
        _wasm = BenchGuests.Read("examples/hello/build/hello.wasm");
        _host = new WasmHost(new WasmHostOptions { CacheDirectory = Path.Combine(Path.GetTempPath(), "wafer-bench-cache") }, NullLogger<WasmHost>.Instance);
        using var warm = _host.Load(_wasm, "hello", PluginLimits.Default, reuseInstances: false);
    }

    [GlobalCleanup]
    public void Cleanup() => _host.Dispose();

    [Benchmark(Description = "load hello from the compiled-code cache")]
    public bool LoadCached()
    {
        using var module = _host.Load(_wasm, "hello", PluginLimits.Default, reuseInstances: false);
        return module.LoadedFromCache;
    }
}
