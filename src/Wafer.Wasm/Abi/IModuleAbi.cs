using Wafer.Protocol.Calls;

namespace Wafer.Wasm.Abi;

/// <summary>
/// The calling convention of a module that does not speak Wafer's ABI (docs/abi.md), implemented outside this
/// project against <see cref="IGuestSession"/>: which exports it needs, which imports it provides, how a call's
/// JSON arguments become guest values and the result becomes JSON again. Everything else (compiled-code cache,
/// instance per call or pooled, memory cap, deadline, fuel, failure classification) is the host's, as for any
/// module. One instance per module; thread-safe (per-call state lives in the session).
/// </summary>
public interface IModuleAbi
{
    /// <summary>The exports the adapter calls, by index; a required one missing or of another signature refuses the module.</summary>
    IReadOnlyList<AbiFunction> Exports { get; }

    /// <summary>
    /// Decides about one function import outside WASI: returns a handler id (passed back to <see cref="HostCall"/>),
    /// or null with <paramref name="refusal"/> saying why it cannot be provided; the module is then refused.
    /// </summary>
    int? Bind(AbiFunction import, out string? refusal);

    /// <summary>The WASI environment variables of one call's fresh instance.</summary>
    IEnumerable<KeyValuePair<string, string>> Environment(IGuestCallContext context);

    /// <summary>
    /// Runs function <paramref name="function"/> with <paramref name="argumentsJson"/> (a JSON array, positional) in an
    /// instance that is ready (<c>_initialize</c> has run). Guest failures are results; traps may propagate.
    /// </summary>
    CallOutcome Invoke(int function, ReadOnlySpan<byte> argumentsJson, IGuestSession session);

    /// <summary>Runs host import <paramref name="handler"/>; to end the call, throw <see cref="IGuestSession.Fail"/>'s exception.</summary>
    void HostCall(int handler, IGuestSession session, ReadOnlySpan<WasmValue> arguments, Span<WasmValue> results);

    /// <summary>How the call ends when the guest calls WASI <c>proc_exit(code)</c>.</summary>
    (CallStatus Status, string Message) Exited(int code, IGuestSession session);
}
