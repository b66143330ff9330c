namespace Wafer.Runtime.Storage;

/// <summary>
/// A call log line as stored: tied to its call, plugin and function. <paramref name="Cause"/> is set on the line that
/// records a failed call (<c>timeout</c>, <c>trap</c>, …) and null on the guest's own lines.
/// </summary>
internal sealed record CallLogRecord(
    long Id, DateTimeOffset Time, string CallId, string Plugin, string Function, string Level, string Message, string? Cause = null);
