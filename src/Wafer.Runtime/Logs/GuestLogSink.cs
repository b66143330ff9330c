using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Wafer.Runtime.Hosting;
using Wafer.Runtime.Storage;
using Wafer.Wasm;

namespace Wafer.Runtime.Logs;

/// <summary>
/// Receives the lines of every call's log: writes guest lines to the server log with plugin, function and call id,
/// queues every line for the state database (<c>GET /api/logs</c>), and keeps the most recent lines in memory.
/// Calls reach it through a <see cref="CallLog"/>, which holds each call to <see cref="Limits"/>.
/// </summary>
internal sealed partial class GuestLogSink(CallLogWriter writer, IOptions<RuntimeOptions> options, ILogger<GuestLogSink> logger)
{
    public const int Capacity = 1000;

    private readonly Queue<GuestLogEntry> _recent = new();
    private readonly Lock _lock = new();

    public CallLogLimits Limits { get; } = options.Value.Logs;

    /// <summary>Starts the log of one call.</summary>
    public CallLog Begin(string callId, string plugin, string function) => new(this, Limits, callId, plugin, function);

    /// <summary>
    /// Records that a call failed, as an error line with its cause in the call's log. The server log has the failure
    /// already (the invoker's own event), so this line goes to the state database and the recent lines only.
    /// </summary>
    public void WriteFailure(string callId, string plugin, string function, string cause, string message)
    {
        var entry = new GuestLogEntry(DateTimeOffset.UtcNow, callId, plugin, function, GuestLogLevel.Error, $"call failed: {cause}: {message}", cause);
        Store(entry);
    }

    /// <summary>Writes a line that has passed its call's limits.</summary>
    internal void Write(GuestLogEntry entry)
    {
        var level = entry.Level switch
        {
            GuestLogLevel.Debug => LogLevel.Debug,
            GuestLogLevel.Warning => LogLevel.Warning,
            GuestLogLevel.Error => LogLevel.Error,
            _ => LogLevel.Information,
        };
        GuestLine(logger, level, entry.Plugin, entry.Function, entry.CallId, entry.Message);
        Store(entry);
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

    private void Store(GuestLogEntry entry)
    {
        writer.Enqueue(new CallLogRecord(0, entry.Time, entry.CallId, entry.Plugin, entry.Function, LevelName(entry.Level), entry.Message, entry.Cause));
        lock (_lock)
        {
            if (_recent.Count == Capacity)
            {
                _recent.Dequeue();
            }

            _recent.Enqueue(entry);
        }
    }

    [LoggerMessage(EventId = 2100, EventName = "GuestLog", Message = "[{Plugin}/{Function} {CallId}] {Message}")]
    private static partial void GuestLine(ILogger logger, LogLevel level, string plugin, string function, string callId, string message);
}
