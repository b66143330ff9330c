namespace Wafer.Runtime.Storage;

/// <summary>A guest log line as stored: tied to its call, plugin and function.</summary>
public sealed record CallLogRecord(long Id, DateTimeOffset Time, string CallId, string Plugin, string Function, string Level, string Message);
