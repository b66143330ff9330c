namespace Wafer.Wasm.Wasi;

/// <summary>How a run of a WASI command module ended.</summary>
public enum CommandStatus
{
    /// <summary><c>_start</c> returned (exit code 0) or the guest called <c>proc_exit</c>.</summary>
    Exited,

    /// <summary>The wall-clock limit elapsed.</summary>
    Timeout,

    /// <summary>The guest trapped with its memory at the cap, or memory could not be provided.</summary>
    OutOfMemory,

    /// <summary>The instruction fuel was exhausted.</summary>
    OutOfFuel,

    /// <summary>Any other trap, or the module could not be instantiated.</summary>
    Trap,

    /// <summary>The host stopped the run (shutdown).</summary>
    Cancelled,
}
