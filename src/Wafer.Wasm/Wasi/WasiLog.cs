using Microsoft.Extensions.Logging;

namespace Wafer.Wasm.Wasi;

/// <summary>Log events of WASI command modules: EventId band 1050-1069 (inside Wafer.Wasm's 1000-1099).</summary>
internal static partial class WasiLog
{
    [LoggerMessage(EventId = 1050, EventName = "CommandFailed", Level = LogLevel.Debug,
        Message = "Run of command module {Name} ended with {Status}: {Message}")]
    public static partial void CommandFailed(ILogger logger, string name, CommandStatus status, string? message);
}
