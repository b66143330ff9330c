using System.Globalization;
using System.Text;
using Wafer.Wasm;

namespace Wafer.Runtime.Logs;

/// <summary>
/// The log of one call. Passes the call's lines to the sink until the call has logged
/// <see cref="CallLogLimits.LinesPerCall"/> lines or <see cref="CallLogLimits.BytesPerCall"/> bytes; after that it
/// only counts, and <see cref="Complete"/> writes one last line saying how much was dropped. Used on the call's
/// thread only.
/// </summary>
internal sealed class CallLog
{
    private readonly GuestLogSink _sink;
    private readonly CallLogLimits _limits;
    private int _lines;
    private long _bytes;
    private bool _closed;
    private long _droppedLines;
    private long _droppedBytes;

    internal CallLog(GuestLogSink sink, CallLogLimits limits, string callId, string plugin, string function)
    {
        _sink = sink;
        _limits = limits;
        CallId = callId;
        Plugin = plugin;
        Function = function;
    }

    public string CallId { get; }

    public string Plugin { get; }

    public string Function { get; }

    /// <summary>False once a line did not fit the call's limits: every later line is dropped.</summary>
    public bool AcceptsMore => !_closed;

    /// <summary>Logs <paramref name="message"/> (cut to the line limit by the caller) if the call's limits allow it.</summary>
    public void Write(GuestLogLevel level, string message)
    {
        var bytes = Encoding.UTF8.GetByteCount(message);
        if (_closed || _lines >= _limits.LinesPerCall || _bytes + bytes > _limits.BytesPerCall)
        {
            Dropped(bytes);
            return;
        }

        _lines++;
        _bytes += bytes;
        _sink.Write(new GuestLogEntry(DateTimeOffset.UtcNow, CallId, Plugin, Function, level, message));
    }

    /// <summary>Counts a line that was not logged.</summary>
    public void Dropped(long bytes)
    {
        _closed = true;
        _droppedLines++;
        _droppedBytes += bytes;
    }

    /// <summary>Ends the call's log: one warning line saying what was dropped, if anything was.</summary>
    public void Complete()
    {
        if (_droppedLines == 0)
        {
            return;
        }

        var message = string.Create(CultureInfo.InvariantCulture,
            $"… [dropped {_droppedLines:N0} more lines ({_droppedBytes:N0} bytes) of this call: a call may log {_limits.LinesPerCall:N0} lines and {_limits.BytesPerCall:N0} bytes]");
        _sink.Write(new GuestLogEntry(DateTimeOffset.UtcNow, CallId, Plugin, Function, GuestLogLevel.Warning, message));
        _droppedLines = 0;
        _droppedBytes = 0;
    }
}
