using Wafer.Protocol.Calls;
using Wafer.Protocol.Manifest;
using Wafer.Wasm.Imports;
using Wasmtime;

namespace Wafer.Wasm.Invocation;

/// <summary>Turns the way a call died into an <see cref="CallOutcome"/> (docs/abi.md §4).</summary>
internal static class FailureClassifier
{
    private const long PageBytes = 65536;

    /// <summary>
    /// Classifies a Wasmtime failure. <paramref name="memoryBytes"/> is the guest memory size after the failure
    /// (-1 if unknown) and <paramref name="memoryCap"/> the store's memory limit.
    /// </summary>
    public static CallOutcome Classify(
        WasmtimeException exception, CallState state, long memoryBytes, long memoryCap, PluginLimits limits)
    {
        if (state.FailureStatus is { } status)
        {
            return new(status, null, state.FailureMessage);
        }

        if (exception is TrapException trap)
        {
            switch (trap.Type)
            {
                case TrapCode.Interrupt:
                    return new(CallStatus.Timeout, null, $"timed out after {limits.TimeoutMs} ms");
                case TrapCode.OutOfFuel:
                    return new(CallStatus.OutOfFuel, null, $"ran out of fuel ({limits.Fuel} units)");
            }

            var message = Cause(trap.Message);
            if (IsOutOfMemory(trap.Type, memoryBytes, memoryCap))
            {
                return new(CallStatus.OutOfMemory, null,
                    $"out of memory: {message} with linear memory at {Mib(memoryBytes)} of its {Mib(memoryCap)} cap");
            }

            return new(CallStatus.Trap, null, message);
        }

        // Not a trap: instantiation refused (memory or pool limits) or a host import failed without a cause.
        var text = Cause(exception.Message);
        if (text.Contains("memory", StringComparison.OrdinalIgnoreCase) &&
            (text.Contains("limit", StringComparison.OrdinalIgnoreCase) || text.Contains("exceed", StringComparison.OrdinalIgnoreCase)) ||
            text.Contains("concurrent", StringComparison.OrdinalIgnoreCase))
        {
            return new(CallStatus.OutOfMemory, null, $"out of memory: {text}");
        }

        return new(CallStatus.Trap, null, text);
    }

    /// <summary>
    /// A trap counts as running out of memory when memory is at the cap, or when the guest's next growth step
    /// could not fit: allocators (AssemblyScript's TLSF, dlmalloc) grow by at least the current size or the
    /// request and trap (unreachable, or a write through a null result) when <c>memory.grow</c> returns -1.
    /// Wasmtime's C API does not report denied growths, so this is judged from the size after the trap.
    /// </summary>
    private static bool IsOutOfMemory(TrapCode code, long memoryBytes, long memoryCap)
    {
        if (memoryBytes < 0)
        {
            return false;
        }

        if (memoryBytes + PageBytes > memoryCap)
        {
            return code is not (TrapCode.IntegerDivisionByZero or TrapCode.IntegerOverflow or TrapCode.BadConversionToInteger
                or TrapCode.StackOverflow or TrapCode.IndirectCallToNull or TrapCode.BadSignature);
        }

        return code is TrapCode.Unreachable or TrapCode.MemoryOutOfBounds && memoryBytes * 2 > memoryCap;
    }

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024):0.##} MiB";

    /// <summary>
    /// The cause in a Wasmtime error, which reads "error while executing at wasm backtrace: (frames) Caused by:
    /// wasm trap: integer divide by zero": the text after the last "Caused by:", else the first line.
    /// </summary>
    public static string Cause(string message)
    {
        const string marker = "Caused by:";
        var at = message.LastIndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            var end = message.IndexOf('\n', StringComparison.Ordinal);
            return (end < 0 ? message : message[..end]).TrimEnd();
        }

        var lines = message[(at + marker.Length)..]
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(StripNumbering);
        return string.Join(": ", lines);
    }

    /// <summary>Multi-cause chains are numbered ("0: outer", "1: inner").</summary>
    private static string StripNumbering(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        return colon > 0 && line.AsSpan(0, colon).ContainsAnyExceptInRange('0', '9') is false ? line[(colon + 2)..] : line;
    }
}
