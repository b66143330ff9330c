using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Wafer.Wasm.Imports;
using Wafer.Wasm.Wasi;
using Wasmtime;

namespace Wafer.Wasm.Engines;

/// <summary>Builds the engines: Cranelift at speed, epoch interruption, pooling allocator, optional fuel.</summary>
internal static class EngineFactory
{
    /// <summary>Bump when anything this project does changes the compiled code, to retire old cache entries.</summary>
    private const int CacheFormat = 1;

    public static string WasmtimeVersion { get; } =
        typeof(Engine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(Engine).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public static WasmEngine Create(WasmHostOptions options, bool fuel)
    {
        var pool = new PoolingAllocationConfig()
            .WithMaxCoreInstances((uint)options.PoolTotalInstances)
            .WithMaxMemories((uint)options.PoolTotalInstances)
            .WithMaxTables((uint)options.PoolTotalInstances)
            .WithMaxMemoriesPerModule(1)
            .WithMaxTablesPerModule(1)
            .WithMaxMemorySize((nuint)options.PoolMaxMemoryBytes)
            .WithLinearMemoryKeepResidentBytes((nuint)options.PoolKeepResidentBytes)
            .WithTableKeepResidentBytes((nuint)options.PoolKeepResidentBytes);

        Engine engine;
        using (pool)
        {
            var config = new Config()
                .WithCompilerStrategy(CompilerStrategy.Cranelift)
                .WithOptimizationLevel(OptimizationLevel.Speed)
                .WithEpochInterruption(true)
                .WithFuelConsumption(fuel)
                .WithPoolingAllocationStrategy(pool);
            engine = new Engine(config);
        }

        var linker = new Linker(engine);
        try
        {
            HostImports.Define(linker);
            WasiSupport.Define(linker);
        }
        catch
        {
            linker.Dispose();
            engine.Dispose();
            throw;
        }

        return new WasmEngine(engine, linker, fuel, Fingerprint(options, fuel));
    }

    /// <summary>
    /// Everything that shapes compiled code: the Wasmtime version, fuel metering, the settings above and the CPU.
    /// Wasmtime also checks compatibility when deserializing; this keeps differently-configured hosts from
    /// fighting over one file.
    /// </summary>
    private static string Fingerprint(WasmHostOptions options, bool fuel)
    {
        var descriptor = string.Join(';',
            $"wasmtime={WasmtimeVersion}",
            $"format={CacheFormat}",
            "cranelift=speed",
            "epoch=1",
            $"fuel={(fuel ? 1 : 0)}",
            $"pool-memory={options.PoolMaxMemoryBytes}",
            $"arch={RuntimeInformation.ProcessArchitecture}",
            $"os={RuntimeInformation.OSDescription.Split(' ')[0]}");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(descriptor)))[..12];
        return $"wt{WasmtimeVersion}-{(fuel ? "fuel" : "nofuel")}-{hash}";
    }
}
