using Microsoft.Extensions.Logging;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Manifest;
using Wafer.Wasm.Engines;
using Wafer.Wasm.Imports;
using Wafer.Wasm.Invocation;
using Wafer.Wasm.Loading;
using Wafer.Wasm.Logging;
using Wasmtime;

namespace Wafer.Wasm;

/// <summary>
/// A compiled, validated plugin module, ready to call from any thread. Each call runs in a fresh instance, or
/// with <see cref="ReuseInstances"/> in a pooled one that serves one call at a time.
/// </summary>
public sealed class WasmModule : IDisposable
{
    private readonly WasmEngine _engine;
    private readonly Module _module;
    private readonly PreparedModule _prepared;
    private readonly ModuleShape _shape;
    private readonly ILogger _logger;
    private readonly InstancePool? _pool;
    private readonly Abi.IModuleAbi? _abi;
    private readonly Linker? _linker;
    private readonly long _memoryCap;
    private readonly ulong _deadlineTicks;
    private readonly EpochTicker _ticker;
    private readonly Action _unloaded;
    private readonly TextLimits _textLimits;
    private volatile bool _disposed;

    internal WasmModule(
        WasmEngine engine,
        Module module,
        PreparedModule prepared,
        ModuleShape shape,
        string name,
        string hash,
        PluginLimits limits,
        bool reuseInstances,
        WasmHostOptions options,
        TimeSpan loadTime,
        bool loadedFromCache,
        EpochTicker ticker,
        Action unloaded,
        ILogger logger,
        Abi.IModuleAbi? abi = null,
        Linker? linker = null)
    {
        _unloaded = unloaded;
        _ticker = ticker;
        _abi = abi;
        _linker = linker;
        _engine = engine;
        _module = module;
        _prepared = prepared;
        _shape = shape;
        _logger = logger;
        Name = name;
        Hash = hash;
        Limits = limits;
        ReuseInstances = reuseInstances;
        LoadTime = loadTime;
        LoadedFromCache = loadedFromCache;
        _memoryCap = Math.Min(limits.MemoryBytes, options.PoolMaxMemoryBytes);
        _deadlineTicks = EpochTicker.TicksFor(limits.TimeoutMs, options.EpochTickMs);
        _textLimits = TextLimits.From(options);
        _pool = reuseInstances ? new InstancePool(options.MaxIdleInstancesPerModule) : null;
    }

    public string Name { get; }

    /// <summary>Lower-case hex SHA-256 of the module bytes.</summary>
    public string Hash { get; }

    public PluginLimits Limits { get; }

    public bool ReuseInstances { get; }

    /// <summary>Time <see cref="WasmHost.Load"/> took: compiling, or loading from the cache, plus validation.</summary>
    public TimeSpan LoadTime { get; }

    public bool LoadedFromCache { get; }

    /// <summary>
    /// Calls function <paramref name="functionIndex"/> with <paramref name="argsJson"/> (a UTF-8 JSON array) on the
    /// calling thread. Every guest failure is a result, never an exception.
    /// </summary>
    public CallOutcome Invoke(int functionIndex, ReadOnlySpan<byte> argsJson, IGuestCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        ObjectDisposedException.ThrowIf(_disposed, this);

        var instance = _pool?.TryTake() ?? new GuestInstance(_engine, _memoryCap, _textLimits, _abi);
        CallOutcome result;
        try
        {
            result = Run(instance, functionIndex, argsJson, context);
        }
        catch
        {
            // Not a guest failure (the host or the caller is at fault): never reuse what it touched.
            instance.Dispose();
            throw;
        }

        instance.State.End();
        var healthy = result.Status is CallStatus.Ok or CallStatus.GuestError;
        if (_pool is not null && healthy)
        {
            _pool.Return(instance);
        }
        else
        {
            if (_pool is not null)
            {
                WasmLog.InstanceDiscarded(_logger, Name, result.Status);
            }

            instance.Dispose();
        }

        if (result.Status != CallStatus.Ok && _logger.IsEnabled(LogLevel.Debug))
        {
            WasmLog.InvocationFailed(_logger, Name, functionIndex, result.Status, result.Message);
        }

        return result;
    }

    /// <summary>
    /// A long-lived instance of this module for a stateful guest (a Modus agent), with the module's limits per run.
    /// Only for adapted modules; the caller owns and disposes it before disposing this module.
    /// </summary>
    public Abi.ResidentInstance OpenResident()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _abi is null
            ? throw new InvalidOperationException($"module {Name} uses Wafer's ABI; resident instances are for adapted modules")
            : new Abi.ResidentInstance(_engine, _prepared, _shape, _abi, _memoryCap, _deadlineTicks, Limits, _textLimits, _logger);
    }

    private CallOutcome Run(GuestInstance instance, int functionIndex, ReadOnlySpan<byte> argsJson, IGuestCallContext context)
    {
        try
        {
            instance.Begin(context, _deadlineTicks + _ticker.Lag, Limits);
            if (!instance.IsInstantiated)
            {
                instance.Instantiate(_prepared, _shape);
            }

            if (_abi is not null)
            {
                return instance.InvokeAbi(functionIndex, argsJson);
            }

            var code = instance.Call(functionIndex, argsJson);
            var output = instance.State.Result;
            return code switch
            {
                0 => new(CallStatus.Ok, output ?? "null"u8.ToArray(), null),
                1 when output is not null => new(CallStatus.GuestError, output, GuestText.Utf8(output, _textLimits.MessageBytes)),
                _ => new(CallStatus.GuestError, null, $"guest error (wafer_invoke returned {code})"),
            };
        }
        catch (WasmtimeException ex)
        {
            return FailureClassifier.Classify(ex, instance.State, instance.MemoryBytes(), _memoryCap, Limits);
        }
        catch (GuestFaultException)
        {
            // Raised by the host between guest calls (e.g. a bad pointer from wafer_alloc); the cause is recorded.
            return new(instance.State.FailureStatus ?? CallStatus.Trap, null, instance.State.FailureMessage);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _pool?.Dispose();
        _prepared.Dispose();
        _linker?.Dispose();
        _module.Dispose();
        _unloaded();
    }
}
