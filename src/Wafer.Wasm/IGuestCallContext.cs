namespace Wafer.Wasm;

/// <summary>
/// The caller's side of one invocation: receives what the guest logs and runs the host capabilities it asks for.
/// The caller owns the call id, plugin and function names; <see cref="WasmModule.Invoke"/> only passes this
/// through to the host imports.
/// </summary>
public interface IGuestCallContext
{
    /// <summary>
    /// A line logged by the guest, already cut to <see cref="WasmHostOptions.MaxLogLineBytes"/> (with a marker saying how
    /// much was left out). Called on the invoking thread.
    /// </summary>
    void Log(GuestLogLevel level, string message);

    /// <summary>
    /// False once the call has logged all it may: the host then skips reading further lines from guest memory and
    /// reports each with <see cref="LogDropped"/> instead of <see cref="Log"/>.
    /// </summary>
    bool AcceptsLog => true;

    /// <summary>A line of <paramref name="bytes"/> bytes that the host skipped because <see cref="AcceptsLog"/> was false.</summary>
    void LogDropped(long bytes)
    {
    }

    /// <summary>
    /// Runs the host capability <paramref name="operation"/> (e.g. <c>http.fetch</c>) with a UTF-8 JSON request
    /// (docs/abi.md §3.1). Called on the invoking thread; blocking work must end by the call's deadline, since the
    /// guest's wall-clock limit cannot interrupt host code. Expected failures are results, not exceptions.
    /// <paramref name="requestJson"/> points into guest memory and is valid only during the call.
    /// </summary>
    HostCallResult HostCall(string operation, ReadOnlySpan<byte> requestJson) =>
        HostCallResult.Failure($"{operation}: host capabilities are not available to this call");
}
