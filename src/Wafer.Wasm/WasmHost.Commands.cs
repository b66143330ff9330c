using System.Diagnostics;
using Wafer.Protocol.Manifest;
using Wafer.Wasm.Logging;
using Wafer.Wasm.Wasi;

namespace Wafer.Wasm;

/// <summary>Loading WASI command modules (manifest <c>"type": "command"</c>).</summary>
public sealed partial class WasmHost
{
    /// <summary>
    /// Compiles a WASI command module, or loads its machine code from the cache, and checks it: a <c>_start</c>
    /// export, a 32-bit memory, and imports only from WASI preview 1. Throws <see cref="WasmLoadException"/>.
    /// </summary>
    public CommandModule LoadCommand(ReadOnlyMemory<byte> wasm, string name, PluginLimits limits)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(limits);
        ObjectDisposedException.ThrowIf(_disposed, this);

        var clock = Stopwatch.StartNew();
        var (engine, module, hash, fromCache) = Compile(wasm.Span, name, limits);
        try
        {
            CommandValidator.Validate(module, limits);
        }
        catch (WasmLoadException ex)
        {
            module.Dispose();
            WasmLog.ModuleRejected(_logger, name, ex.Message);
            throw;
        }

        var elapsed = Publish(engine, module, name, hash, fromCache, clock);
        return new CommandModule(engine, module, name, hash, limits, _options, elapsed, fromCache, _reclaimer.Request, _logger);
    }
}
