using Microsoft.Extensions.Logging;
using Wafer.Runtime.Storage;
using Wafer.Wasm;

namespace Wafer.Runtime.Logs;

/// <summary>
/// Receives guest log lines: writes them to the server log with plugin, function and call id, queues them for
/// the state database (<c>GET /api/logs</c>), and keeps the most recent lines in memory.
/// </summary>
public sealed partial class GuestLogSink(CallLogWriter writer, ILogger<GuestLogSink> logger)
{
    public const int Capacity = 1000;

    private readonly Queue<GuestLogEntry> _recent = new();
    private readonly Lock _lock = new();

    public void Write(GuestLogEntry entry)
    {
        var level = entry.Level switch
        {
            GuestLogLevel.Debug => LogLevel.Debug,
            GuestLogLevel.Warning => LogLevel.Warning,
            GuestLogLevel.Error => LogLevel.Error,
            _ => LogLevel.Information,
        };
        GuestLine(logger, level, entry.Plugin, entry.Function, entry.CallId, entry.Message);
        writer.Enqueue(new CallLogRecord(0, entry.Time, entry.CallId, entry.Plugin, entry.Function, LevelName(entry.Level), entry.Message));
        lock (_lock)
        {
            if (_recent.Count == Capacity)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue(entry);
        }
    }

    /// <summary>Recent lines, oldest first, optionally for one function and after a time.</summary>
    public IReadOnlyList<GuestLogEntry> Recent(string? function = null, DateTimeOffset? since = null)
    {
        lock (_lock)
        {
            return _recent
                .Where(e => (function is null || e.Function == function || $"{e.Plugin}/{e.Function}" == function)
                            && (since is null || e.Time > since))
                .ToArray();
        }
    }

    public static string LevelName(GuestLogLevel level) => level switch
    {
        GuestLogLevel.Debug => "debug",
        GuestLogLevel.Warning => "warning",
        GuestLogLevel.Error => "error",
        _ => "info",
    };

    [LoggerMessage(EventId = 2100, EventName = "GuestLog", Message = "[{Plugin}/{Function} {CallId}] {Message}")]
    private static partial void GuestLine(ILogger logger, LogLevel level, string plugin, string function, string callId, string message);
}
