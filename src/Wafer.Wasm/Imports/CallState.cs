using Wafer.Protocol.Calls;

namespace Wafer.Wasm.Imports;

/// <summary>
/// Per-call state, stored as the Wasmtime store's data so host imports reach it without closures.
/// One per store; reset at the start of each call on a reused instance.
/// </summary>
internal sealed class CallState(TextLimits limits)
{
    /// <summary>How much of a log line or a message the host reads.</summary>
    public TextLimits Limits { get; } = limits;

    public IGuestCallContext? Context { get; private set; }

    /// <summary>The calling convention of an adapted module (null for Wafer's own ABI), and this instance as its session.</summary>
    public Abi.IModuleAbi? Abi { get; init; }

    public Abi.IGuestSession? Session { get; init; }

    /// <summary>The adapter's per-call state (<see cref="Abi.IGuestSession.State"/>).</summary>
    public object? AbiState { get; set; }

    /// <summary>The guest's exported memory, once known (host imports called by the start function look it up).</summary>
    public LinearMemory? Memory { get; set; }

    /// <summary>The last bytes passed to <c>wafer.result</c> in this call.</summary>
    public byte[]? Result { get; set; }

    /// <summary>The answer of the last <c>wafer.host_call</c>, kept for <c>wafer.host_response</c>.</summary>
    public byte[]? PendingResponse { get; set; }

    /// <summary>Set by a host import that ended the call (abort, bad pointer); wins over the trap's own cause.</summary>
    public CallStatus? FailureStatus { get; private set; }

    public string? FailureMessage { get; private set; }

    public void Begin(IGuestCallContext context)
    {
        Context = context;
        Result = null;
        PendingResponse = null;
        FailureStatus = null;
        FailureMessage = null;
    }

    /// <summary>Drops the caller's context so an idle pooled instance keeps nothing of the last call alive.</summary>
    public void End()
    {
        Context = null;
        Result = null;
        PendingResponse = null;
        AbiState = null;
    }

    /// <summary>Records why the call ends and returns the exception that unwinds the guest.</summary>
    public GuestFaultException Fail(CallStatus status, string message)
    {
        FailureStatus = status;
        FailureMessage = message;
        return new GuestFaultException(message);
    }
}
