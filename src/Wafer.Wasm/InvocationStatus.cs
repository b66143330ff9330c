namespace Wafer.Wasm;

/// <summary>How an invocation ended (docs/abi.md §4).</summary>
public enum InvocationStatus
{
    /// <summary><c>wafer_invoke</c> returned 0; the output is the result JSON.</summary>
    Ok,

    /// <summary><c>wafer_invoke</c> returned non-zero; the message is the guest's error text.</summary>
    GuestError,

    /// <summary>The wall-clock limit elapsed.</summary>
    Timeout,

    /// <summary>The guest trapped with its memory at the cap, or memory could not be provided.</summary>
    OutOfMemory,

    /// <summary>The instruction fuel was exhausted.</summary>
    OutOfFuel,

    /// <summary>The guest called <c>wafer.abort</c> or <c>env.abort</c>.</summary>
    Abort,

    /// <summary>Any other trap, including bad pointers handed to host imports.</summary>
    Trap,

    /// <summary>The guest returned a value its declared result type does not allow (an adapted module's null for a non-nullable type).</summary>
    BadResult,
}
