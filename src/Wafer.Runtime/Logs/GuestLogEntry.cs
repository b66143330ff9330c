using Wafer.Wasm;

namespace Wafer.Runtime.Logs;

/// <summary>
/// One line of a call's log, tied to the call: a line the guest logged, or the host's record of the call's failure,
/// which carries its <paramref name="Cause"/> (<c>timeout</c>, <c>trap</c>, …).
/// </summary>
internal sealed record GuestLogEntry(
    DateTimeOffset Time, string CallId, string Plugin, string Function, GuestLogLevel Level, string Message, string? Cause = null);
