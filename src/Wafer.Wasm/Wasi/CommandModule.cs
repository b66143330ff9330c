using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Wafer.Protocol.Calls;
using Wafer.Protocol.Manifest;
using Wafer.Wasm.Engines;
using Wafer.Wasm.Imports;
using Wafer.Wasm.Invocation;
using Wafer.Wasm.Wasi.Channels;
using Wasmtime;

namespace Wafer.Wasm.Wasi;

/// <summary>
/// A compiled, validated WASI command module. Every <see cref="Run"/> gets a fresh store and instance with
/// only the arguments, environment, stdin and folder it is given, and the plugin's limits: a wall-clock timeout
/// (epochs), a memory cap and optional fuel. Thread-safe; runs execute on the calling thread.
/// </summary>
public sealed class CommandModule : IDisposable
{
    /// <summary>How often a running guest is checked for its deadline and for cancellation.</summary>
    private const int CheckIntervalMs = 25;

    private readonly WasmEngine _engine;
    private readonly Module _module;
    private readonly ILogger _logger;
    private readonly long _memoryCap;
    private readonly ulong _checkTicks;
    private readonly Action _unloaded;
    private readonly Lazy<Linker> _channelLinker;
    private readonly Lazy<Module> _passthrough;
    private volatile bool _disposed;

    internal CommandModule(
        WasmEngine engine, Module module, string name, string hash, PluginLimits limits, WasmHostOptions options,
        TimeSpan loadTime, bool loadedFromCache, Action unloaded, ILogger logger)
    {
        _unloaded = unloaded;
        _engine = engine;
        _module = module;
        _logger = logger;
        Name = name;
        Hash = hash;
        Limits = limits;
        LoadTime = loadTime;
        LoadedFromCache = loadedFromCache;
        _memoryCap = Math.Min(limits.MemoryBytes, options.PoolMaxMemoryBytes);
        _checkTicks = EpochTicker.TicksFor(Math.Min(CheckIntervalMs, limits.TimeoutMs), options.EpochTickMs);
        _channelLinker = new Lazy<Linker>(() => ChannelImports.CreateLinker(engine.Linker));
        _passthrough = new Lazy<Module>(() => Module.FromText(engine.Engine, "wafer-wasi-passthrough", WasiPassthrough.Text));
    }

    public string Name { get; }

    /// <summary>Lower-case hex SHA-256 of the module bytes.</summary>
    public string Hash { get; }

    public PluginLimits Limits { get; }

    public TimeSpan LoadTime { get; }

    public bool LoadedFromCache { get; }

    /// <summary>
    /// Runs <c>_start</c> once. Every way the guest can end is a result; <paramref name="cancellationToken"/> stops a
    /// running guest within a few milliseconds (<see cref="CommandStatus.Cancelled"/>).
    /// </summary>
    public CommandResult Run(CommandInput input, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        ObjectDisposedException.ThrowIf(_disposed, this);

        var stdout = new OutputCapture(input.StdoutLimitBytes);
        var stderr = new OutputCapture(input.StderrLimitBytes);
        // Preopens are numbered after stdin, stdout and stderr, the plugin folder first.
        var channels = input.Channels.Count == 0 ? null : ChannelFiles.Create(input.Channels, 3 + (input.FolderPath is null ? 0 : 1));
        var stdinPath = input.Stdin.IsEmpty ? null : StdinFile.Create(input.Stdin.Span);
        var started = Stopwatch.GetTimestamp();
        var state = new CommandRunState(started, TimeSpan.FromMilliseconds(Limits.TimeoutMs), cancellationToken) { Channels = channels };
        try
        {
            using var store = new Store(_engine.Engine, state);
            store.SetLimits(memorySize: _memoryCap);
            if (_engine.Fuel)
            {
                store.Fuel = (ulong)Math.Max(0, Limits.Fuel ?? 0);
            }

            store.SetEpochDeadline(_checkTicks);
            store.SetEpochDeadlineCallback(s =>
            {
                ((CommandRunState)s.GetData()!).Check();
                return _checkTicks;
            });
            store.SetWasiConfiguration(Configure(input, stdinPath, stdout, stderr, channels));

            Memory? memory = null;
            CommandStatus status;
            int? exitCode = null;
            string? message = null;
            try
            {
                state.Check();
                var instance = (channels is null ? _engine.Linker : _channelLinker.Value).Instantiate(store, _module);
                memory = instance.GetMemory("memory");
                if (channels is not null)
                {
                    channels.Passthrough = memory is null ? null : WasiPassthrough.Create(_engine.Engine, _passthrough.Value, store, memory);
                }

                instance.GetAction("_start")!.Invoke();
                status = CommandStatus.Exited;
                exitCode = 0;
            }
            catch (WasmtimeException ex) when ((state.ExitCode ?? ex.ExitCode) is { } code && state.StopReason is null)
            {
                status = CommandStatus.Exited;
                exitCode = code;
            }
            catch (WasmtimeException ex)
            {
                (status, message) = Classify(ex, state, memory);
            }
            catch (Exception ex) when (ex is OperationCanceledException or TimeoutException && state.StopReason is { } reason)
            {
                (status, message) = (reason, Describe(reason));
            }

            var result = new CommandResult(status, exitCode, stdout.ToArray(), stderr.ToArray(), stdout.Truncated, stderr.Truncated,
                message, Stopwatch.GetElapsedTime(started));
            if (status != CommandStatus.Exited)
            {
                WasiLog.CommandFailed(_logger, Name, status, message);
            }

            return result;
        }
        finally
        {
            StdinFile.Delete(stdinPath);
            channels?.Dispose();
        }
    }

    private static WasiConfiguration Configure(CommandInput input, string? stdinPath, OutputCapture stdout, OutputCapture stderr, ChannelFiles? channels)
    {
        var wasi = new WasiConfiguration()
            .WithArgs(input.Args)
            .WithEnvironmentVariables(input.Env.Select(kv => (kv.Key, kv.Value)))
            .WithStandardOutputCallback(Observed(stdout, input.StdoutObserver))
            .WithStandardErrorCallback(Observed(stderr, input.StderrObserver));
        if (stdinPath is not null)
        {
            wasi.WithStandardInput(stdinPath);
        }

        if (input.FolderPath is not null)
        {
            wasi.WithPreopenedDirectory(input.FolderPath, GrantedFolder.GuestPath, mutable: !input.FolderReadOnly);
        }

        foreach (var (host, guest) in channels?.Folders ?? [])
        {
            wasi.WithPreopenedDirectory(host, guest, mutable: false);
        }

        return wasi;
    }

    private static WasiOutputCallback Observed(OutputCapture capture, WasiOutputObserver? observer) =>
        observer is null ? capture.Write : data =>
        {
            capture.Write(data);
            try
            {
                observer(data);
            }
            catch (Exception)
            {
                // An observer's fault must not close the guest's stream (Wasmtime would fail every later write).
            }
        };

    private (CommandStatus, string) Classify(WasmtimeException exception, CommandRunState state, Memory? memory)
    {
        if (state.StopReason is { } reason)
        {
            return (reason, Describe(reason));
        }

        long memoryBytes;
        try
        {
            memoryBytes = memory?.GetLength() ?? -1;
        }
        catch (WasmtimeException)
        {
            memoryBytes = -1;
        }

        var result = FailureClassifier.Classify(exception, new CallState(default), memoryBytes, _memoryCap, Limits);
        var status = result.Status switch
        {
            CallStatus.Timeout => CommandStatus.Timeout,
            CallStatus.OutOfMemory => CommandStatus.OutOfMemory,
            CallStatus.OutOfFuel => CommandStatus.OutOfFuel,
            _ => CommandStatus.Trap,
        };
        return (status, result.Message ?? exception.Message);
    }

    private string Describe(CommandStatus reason) => reason switch
    {
        CommandStatus.Timeout => $"timed out after {Limits.TimeoutMs} ms",
        CommandStatus.Cancelled => "cancelled: the runtime is shutting down",
        _ => reason.ToString(),
    };

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _module.Dispose();
        if (_channelLinker.IsValueCreated)
        {
            _channelLinker.Value.Dispose();
        }

        if (_passthrough.IsValueCreated)
        {
            _passthrough.Value.Dispose();
        }

        _unloaded();
    }
}
