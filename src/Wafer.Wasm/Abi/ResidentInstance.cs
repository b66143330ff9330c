using Microsoft.Extensions.Logging;
using Wafer.Protocol.Calls;
using Wafer.Wasm.Engines;
using Wafer.Wasm.Imports;
using Wafer.Wasm.Invocation;
using Wafer.Wasm.Loading;
using Wasmtime;

namespace Wafer.Wasm.Abi;

/// <summary>
/// One long-lived instance of an adapted module (a Modus agent): each <see cref="Run"/> is a call in the same
/// instance, with the module's limits (a fresh deadline and fuel budget per run, the memory cap for its whole
/// life). A run that fails in a way that may have broken the instance (a trap, a timeout, running out of memory)
/// discards it: the next run starts a new instance, which the caller restores from its saved state. One run at a
/// time; the caller serializes.
/// </summary>
public sealed class ResidentInstance : IDisposable
{
    private readonly WasmEngine _engine;
    private readonly PreparedModule _prepared;
    private readonly ModuleShape _shape;
    private readonly IModuleAbi _abi;
    private readonly long _memoryCap;
    private readonly TextLimits _textLimits;
    private readonly ulong _deadlineTicks;
    private readonly Protocol.Manifest.PluginLimits _limits;
    private readonly ILogger _logger;
    private GuestInstance? _instance;

    internal ResidentInstance(WasmEngine engine, PreparedModule prepared, ModuleShape shape, IModuleAbi abi, long memoryCap, ulong deadlineTicks,
        Protocol.Manifest.PluginLimits limits, TextLimits textLimits, ILogger logger)
    {
        _engine = engine;
        _prepared = prepared;
        _shape = shape;
        _abi = abi;
        _memoryCap = memoryCap;
        _textLimits = textLimits;
        _deadlineTicks = deadlineTicks;
        _limits = limits;
        _logger = logger;
    }

    /// <summary>True when the next run starts a new instance (the first run, or after a failure discarded the last one).</summary>
    public bool IsFresh => _instance is null;

    /// <summary>Runs <paramref name="work"/> in the instance. Every guest failure is a result, never an exception.</summary>
    public CallOutcome Run(IGuestCallContext context, Func<IGuestSession, CallOutcome> work)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(work);
        var instance = _instance ??= new GuestInstance(_engine, _memoryCap, _textLimits, _abi);
        CallOutcome result;
        try
        {
            instance.Begin(context, _deadlineTicks, _limits);
            if (!instance.IsInstantiated)
            {
                instance.Instantiate(_prepared, _shape);
            }

            result = work(instance);
        }
        catch (WasmtimeException ex)
        {
            result = FailureClassifier.Classify(ex, instance.State, instance.MemoryBytes(), _memoryCap, _limits);
        }
        catch (GuestFaultException)
        {
            result = new(instance.State.FailureStatus ?? CallStatus.Trap, null, instance.State.FailureMessage);
        }
        finally
        {
            instance.State.End();
        }

        if (result.Status is not (CallStatus.Ok or CallStatus.GuestError or CallStatus.BadResult))
        {
            Logging.WasmLog.InstanceDiscarded(_logger, "resident instance", result.Status);
            instance.Dispose();
            _instance = null;
        }

        return result;
    }

    public void Dispose()
    {
        _instance?.Dispose();
        _instance = null;
    }
}
