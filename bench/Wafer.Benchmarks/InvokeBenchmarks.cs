using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Metadata;
using Wafer.Wasm;

namespace Wafer.Benchmarks;

/// <summary>The invoke path of Wafer.Wasm alone: a fresh instance per call versus a reused one.</summary>
[MemoryDiagnoser]
public class InvokeBenchmarks
{
    private static readonly byte[] GreetArguments = """["world"]"""u8.ToArray();

    private WasmHost _host = null!;
    private WasmModule _fresh = null!;
    private WasmModule _reused = null!;
    private int _greet;
    private readonly NullContext _context = new();

    [GlobalSetup]
    public void Setup()
    {
        var wasm = BenchGuests.Read("examples/hello/build/hello.wasm");
        _host = new WasmHost(new WasmHostOptions { CacheDirectory = Path.Combine(Path.GetTempPath(), "wafer-bench-cache") }, NullLogger<WasmHost>.Instance);
        _fresh = _host.Load(wasm, "hello", PluginLimits.Default, reuseInstances: false);
        _reused = _host.Load(wasm, "hello", PluginLimits.Default, reuseInstances: true);
        _greet = ModuleMetadata.Read(wasm).Functions.Single(f => f.Name == "greet").Index;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _fresh.Dispose();
        _reused.Dispose();
        _host.Dispose();
    }

    [Benchmark(Baseline = true, Description = "greet, fresh instance")]
    public CallOutcome Fresh() => _fresh.Invoke(_greet, GreetArguments, _context);

    [Benchmark(Description = "greet, reused instance")]
    public CallOutcome Reused() => _reused.Invoke(_greet, GreetArguments, _context);

    private sealed class NullContext : IGuestCallContext
    {
        public void Log(GuestLogLevel level, string message)
        {
        }
    }
}
