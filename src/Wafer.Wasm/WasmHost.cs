using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Wafer.Protocol.Binary;
using Wafer.Protocol.Manifest;
using Wafer.Protocol.Metadata;
using Wafer.Wasm.Abi;
using Wafer.Wasm.Engines;
using Wafer.Wasm.Invocation;
using Wafer.Wasm.Loading;
using Wafer.Wasm.Logging;
using Wasmtime;

namespace Wafer.Wasm;

/// <summary>
/// The WebAssembly engine of a process: compiles (or loads from the on-disk cache) and validates modules, and
/// owns the epoch clock that enforces timeouts. Thread-safe; create one per process.
/// </summary>
public sealed partial class WasmHost : IDisposable
{
    private readonly WasmHostOptions _options;
    private readonly ILogger<WasmHost> _logger;
    private readonly WasmEngine _engine;
    private readonly Lazy<WasmEngine> _fuelEngine;
    private readonly EpochTicker _ticker;
    private readonly CompiledModuleCache _cache;
    private readonly MemoryReclaimer _reclaimer;
    private bool _disposed;

    public WasmHost(WasmHostOptions options, ILogger<WasmHost> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _options = options;
        _logger = logger;
        _engine = CreateEngine(fuel: false);
        _fuelEngine = new Lazy<WasmEngine>(() => CreateEngine(fuel: true), LazyThreadSafetyMode.ExecutionAndPublication);
        _ticker = new EpochTicker(_engine, () => _fuelEngine.IsValueCreated ? _fuelEngine.Value : null, options.EpochTickMs);
        _cache = new CompiledModuleCache(options.CacheDirectory, logger);
        _reclaimer = new MemoryReclaimer(logger);
    }

    /// <summary>
    /// Compiles <paramref name="wasm"/>, or loads its machine code from the cache, and checks it against the ABI:
    /// exports <c>memory</c>, <c>wafer_alloc</c> and <c>wafer_invoke</c> with the right signatures, and imports
    /// only what docs/abi.md §3 lists. Throws <see cref="WasmLoadException"/> saying what is wrong.
    /// </summary>
    /// <param name="abi">The calling convention of a module that does not speak Wafer's ABI (a Modus module), or null.</param>
    public WasmModule Load(ReadOnlyMemory<byte> wasm, string name, PluginLimits limits, bool reuseInstances, Abi.IModuleAbi? abi = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(limits);
        ObjectDisposedException.ThrowIf(_disposed, this);

        var clock = Stopwatch.StartNew();
        var (engine, module, hash, fromCache) = Compile(wasm.Span, name, limits);
        ModuleShape shape;
        Linker? linker = null;
        try
        {
            if (abi is null)
            {
                shape = ModuleValidator.Validate(module, limits);
            }
            else
            {
                (shape, var imports) = AbiValidator.Validate(module, limits, abi);
                linker = AbiLinker.Create(engine, imports, abi);
            }
        }
        catch (WasmLoadException ex)
        {
            module.Dispose();
            WasmLog.ModuleRejected(_logger, name, ex.Message);
            throw;
        }

        PreparedModule prepared;
        try
        {
            prepared = new PreparedModule(linker ?? engine.Linker, module);
        }
        catch (WasmtimeException ex)
        {
            // Validation checked every import against the linker's; this is a safety net, not an expected path.
            linker?.Dispose();
            module.Dispose();
            throw Reject(name, $"cannot link the module: {ex.Message}", ex);
        }

        var elapsed = Publish(engine, module, name, hash, fromCache, clock);
        return new WasmModule(engine, module, prepared, shape, name, hash, limits, reuseInstances, _options, elapsed, fromCache, _ticker, _reclaimer.Request, _logger, abi, linker);
    }

    /// <summary>
    /// Checks the module's bytes against <see cref="WasmHostOptions.ModuleLimits"/> (size, counts, metadata size) without
    /// compiling or parsing anything else, so a caller can do it before reading the metadata. <see cref="Load"/> checks too.
    /// </summary>
    /// <exception cref="WasmLoadException">A limit is broken; the message names it and its flag.</exception>
    public void CheckLimits(ReadOnlySpan<byte> wasm, string name)
    {
        if (!WasmBinary.HasModuleHeader(wasm))
        {
            return; // Load says what is wrong with it
        }

        try
        {
            ModuleCounts.Check(wasm, _options.ModuleLimits, PluginMetadata.SectionName);
        }
        catch (WasmLoadException ex)
        {
            throw Reject(name, ex.Message);
        }
    }

    /// <summary>Compiles the module for the engine its limits need, or loads its machine code from the cache.</summary>
    private (WasmEngine Engine, Module Module, string Hash, bool FromCache) Compile(ReadOnlySpan<byte> bytes, string name, PluginLimits limits)
    {
        if (WasmBinary.HeaderProblem(bytes) is { } problem)
        {
            throw Reject(name, problem);
        }

        CheckLimits(bytes, name);
        var hash = Sha256Hex(bytes);
        var engine = limits.Fuel is null ? _engine : _fuelEngine.Value;
        var module = _cache.TryLoad(engine, hash, name);
        if (module is not null)
        {
            return (engine, module, hash, true);
        }

        try
        {
            return (engine, Module.FromBytes(engine.Engine, name, bytes), hash, false);
        }
        catch (WasmtimeException ex)
        {
            throw Reject(name, $"invalid WebAssembly module: {CompileError(name, ex.Message)}", ex);
        }
    }

    /// <summary>After validation: stores freshly compiled code in the cache and logs the load; returns the load time.</summary>
    private TimeSpan Publish(WasmEngine engine, Module module, string name, string hash, bool fromCache, Stopwatch clock)
    {
        if (!fromCache)
        {
            _cache.Store(engine, hash, module);
        }

        var elapsed = clock.Elapsed;
        if (fromCache)
        {
            WasmLog.ModuleLoadedFromCache(_logger, name, hash, elapsed.TotalMilliseconds);
        }
        else
        {
            WasmLog.ModuleCompiled(_logger, name, hash, elapsed.TotalMilliseconds);
        }

        return elapsed;
    }

    /// <summary>The Wasmtime release this build runs guests with (the version of its Wasmtime package).</summary>
    public static string WasmtimeVersion => EngineFactory.WasmtimeVersion;

    /// <summary>Lower-case hex SHA-256 of the module bytes: a module's identity in the cache and in logs.</summary>
    public static string Sha256Hex(ReadOnlySpan<byte> wasm)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(wasm, hash);
        return Convert.ToHexStringLower(hash);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _reclaimer.Dispose();
        _ticker.Dispose();
        if (_fuelEngine.IsValueCreated)
        {
            _fuelEngine.Value.Dispose();
        }

        _engine.Dispose();
    }

    private WasmEngine CreateEngine(bool fuel)
    {
        var engine = EngineFactory.Create(_options, fuel);
        WasmLog.EngineCreated(_logger, EngineFactory.WasmtimeVersion, fuel, _options.PoolTotalInstances, _options.EpochTickMs);
        return engine;
    }

    private WasmLoadException Reject(string name, string reason, Exception? inner = null)
    {
        WasmLog.ModuleRejected(_logger, name, reason);
        _reclaimer.Request(); // what compiling a refused module held
        return inner is null ? new WasmLoadException(reason) : new WasmLoadException(reason, inner);
    }

    /// <summary>
    /// Wasmtime-dotnet reports "WebAssembly module 'name' is not valid: failed to parse WebAssembly module: cause";
    /// keep what follows the prefix, on one line.
    /// </summary>
    private static string CompileError(string name, string message)
    {
        var prefix = $"WebAssembly module '{name}' is not valid: ";
        var text = message.StartsWith(prefix, StringComparison.Ordinal) ? message[prefix.Length..] : message;
        return string.Join(' ', text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
