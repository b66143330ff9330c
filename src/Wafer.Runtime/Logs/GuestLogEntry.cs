using Wafer.Wasm;

namespace Wafer.Runtime.Logs;

/// <summary>One line a guest logged, tied to the call that logged it.</summary>
public sealed record GuestLogEntry(DateTimeOffset Time, string CallId, string Plugin, string Function, GuestLogLevel Level, string Message);
