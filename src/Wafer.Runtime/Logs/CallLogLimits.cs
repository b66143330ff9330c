using System.Globalization;

namespace Wafer.Runtime.Logs;

/// <summary>
/// How much one call may log, and how much of a guest's text reaches a log line or a response. Whatever is over a
/// limit is cut or dropped with a visible marker, so no guest can flood the state database or the server's log.
/// </summary>
public sealed class CallLogLimits
{
    /// <summary>Bytes of one log line (UTF-8); a longer line is cut and ends with <c>… [truncated: N more bytes]</c>.</summary>
    public int LineBytes { get; set; } = 16 * 1024;

    /// <summary>Lines one call may log; later lines are dropped and counted in one last line.</summary>
    public int LinesPerCall { get; set; } = 1000;

    /// <summary>Bytes one call may log, over all its lines; later lines are dropped and counted in one last line.</summary>
    public long BytesPerCall { get; set; } = 1024 * 1024;

    /// <summary>Bytes of a guest's error or abort message that reach a response or a log line.</summary>
    public int ErrorMessageBytes { get; set; } = 16 * 1024;

    /// <summary>Problems with these settings, each naming the setting and its flag; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        Check(errors, LineBytes is >= 256 and <= 1024 * 1024, "Logs:LineBytes (--logLineBytes)", "between 256 and 1048576", LineBytes);
        Check(errors, LinesPerCall is >= 1 and <= 1_000_000, "Logs:LinesPerCall (--logLinesPerCall)", "between 1 and 1000000", LinesPerCall);
        Check(errors, BytesPerCall is >= 1024 and <= 1024L * 1024 * 1024, "Logs:BytesPerCall (--logBytesPerCall)", "between 1024 and 1073741824", BytesPerCall);
        Check(errors, ErrorMessageBytes is >= 256 and <= 16 * 1024 * 1024, "Logs:ErrorMessageBytes (--errorMessageBytes)", "between 256 and 16777216",
            ErrorMessageBytes);
        return errors;
    }

    private static void Check(List<string> errors, bool ok, string setting, string rule, long value)
    {
        if (!ok)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"{setting} must be {rule}, got {value}"));
        }
    }
}
