using Microsoft.Extensions.Logging;
using Wafer.Protocol.Calls;

namespace Wafer.Wasm.Logging;

/// <summary>Wafer.Wasm's log events: EventId band 1000-1099, each named for what happened.</summary>
internal static partial class WasmLog
{
    [LoggerMessage(EventId = 1000, EventName = "EngineCreated", Level = LogLevel.Information,
        Message = "Wasmtime {Version} engine created (fuel metering: {Fuel}, pool: {PoolInstances} instances, epoch tick {TickMs} ms)")]
    public static partial void EngineCreated(ILogger logger, string version, bool fuel, int poolInstances, int tickMs);

    [LoggerMessage(EventId = 1001, EventName = "ModuleCompiled", Level = LogLevel.Information,
        Message = "Compiled module {Name} ({Hash}) in {ElapsedMs:F1} ms")]
    public static partial void ModuleCompiled(ILogger logger, string name, string hash, double elapsedMs);

    [LoggerMessage(EventId = 1002, EventName = "ModuleLoadedFromCache", Level = LogLevel.Information,
        Message = "Loaded module {Name} ({Hash}) from the compiled-code cache in {ElapsedMs:F2} ms")]
    public static partial void ModuleLoadedFromCache(ILogger logger, string name, string hash, double elapsedMs);

    [LoggerMessage(EventId = 1003, EventName = "CacheEntryCorrupt", Level = LogLevel.Warning,
        Message = "Compiled-code cache entry {Path} is unusable ({Reason}); deleted it and recompiling")]
    public static partial void CacheEntryCorrupt(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1004, EventName = "CacheWriteFailed", Level = LogLevel.Warning,
        Message = "Could not write compiled-code cache entry {Path}; the module still loads, but recompiles next time")]
    public static partial void CacheWriteFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 1005, EventName = "ModuleRejected", Level = LogLevel.Debug,
        Message = "Refused module {Name}: {Reason}")]
    public static partial void ModuleRejected(ILogger logger, string name, string reason);

    [LoggerMessage(EventId = 1006, EventName = "InstanceDiscarded", Level = LogLevel.Debug,
        Message = "Discarded a reusable instance of {Name} after a call ended with {Status}")]
    public static partial void InstanceDiscarded(ILogger logger, string name, CallStatus status);

    [LoggerMessage(EventId = 1007, EventName = "InvocationFailed", Level = LogLevel.Debug,
        Message = "Call of function {Function} in {Name} ended with {Status}: {Message}")]
    public static partial void InvocationFailed(ILogger logger, string name, int function, CallStatus status, string? message);

    [LoggerMessage(EventId = 1008, EventName = "CacheReadFailed", Level = LogLevel.Warning,
        Message = "Could not read compiled-code cache entry {Path}; compiling instead")]
    public static partial void CacheReadFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 1009, EventName = "MemoryReclaimed", Level = LogLevel.Information,
        Message = "Memory given back after modules were unloaded or refused: working set {BeforeMb} MB before, {AfterMb} MB after")]
    public static partial void MemoryReclaimed(ILogger logger, long beforeMb, long afterMb);
}
