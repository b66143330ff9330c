using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Metadata;
using Wafer.Protocol.Modus;
using Wafer.Runtime.Modus;
using Wafer.Wasm;

namespace Wafer.Benchmarks;

/// <summary>
/// A fresh-instance call of a Modus app's function (the SDK's simple example, from the shared fixtures) against
/// Wafer's own <c>greet</c> in the same run: instantiation, <c>_initialize</c>, arguments written as AssemblyScript
/// objects and pinned, the result read back.
/// </summary>
[MemoryDiagnoser]
public class ModusBenchmarks
{
    private static readonly byte[] GreetArguments = """["world"]"""u8.ToArray();
    private static readonly byte[] AddArguments = "[2,3]"u8.ToArray();
    private static readonly byte[] FullNameArguments = """["Ada","Lovelace"]"""u8.ToArray();

    private WasmHost _host = null!;
    private WasmModule _greet = null!;
    private Wafer.Runtime.Catalog.LoadedPlugin _simple = null!;
    private int _greetIndex;
    private int _add;
    private int _fullName;
    private readonly NullContext _context = new();

    [GlobalSetup]
    public void Setup()
    {
        _host = new WasmHost(new WasmHostOptions { CacheDirectory = Path.Combine(Path.GetTempPath(), "wafer-bench-cache") }, NullLogger<WasmHost>.Instance);
        var hello = BenchGuests.Read("tests/guests/out/hello.wasm");
        _greet = _host.Load(hello, "hello", PluginLimits.Default, reuseInstances: false);
        _greetIndex = ModuleMetadata.Read(hello).Functions.Single(f => f.Name == "greet").Index;
        var simple = File.ReadAllBytes(Fixture("simple-example.wasm"));
        _simple = ModusLoader.Create(_host, []).Load(simple, PluginManifest.ForName("simple"), ModusManifest.Empty, "simple-example.wasm");
        _add = _simple.Metadata.Functions.Single(f => f.Name == "add").Index;
        _fullName = _simple.Metadata.Functions.Single(f => f.Name == "getFullName").Index;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _simple.Release();
        _greet.Dispose();
        _host.Dispose();
    }

    [Benchmark(Baseline = true, Description = "Wafer greet, fresh instance")]
    public CallOutcome Greet() => _greet.Invoke(_greetIndex, GreetArguments, _context);

    [Benchmark(Description = "Modus simple add, fresh instance")]
    public CallOutcome ModusAdd() => _simple.Module.Invoke(_add, AddArguments, _context);

    [Benchmark(Description = "Modus simple getFullName, fresh instance")]
    public CallOutcome ModusFullName() => _simple.Module.Invoke(_fullName, FullNameArguments, _context);

    private static string Fixture(string name)
    {
        for (var dir = new DirectoryInfo(BenchGuests.Root); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "shared", "fixtures", "modus", name);
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new FileNotFoundException($"{name}: the Modus fixtures (shared/fixtures/modus) are not beside the repository");
    }

    private sealed class NullContext : IGuestCallContext
    {
        public void Log(GuestLogLevel level, string message)
        {
        }
    }
}
