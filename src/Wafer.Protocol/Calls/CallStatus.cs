namespace Wafer.Protocol.Calls;

/// <summary>How a call ended. Everything but <see cref="Ok"/> names a cause (docs/abi.md §4).</summary>
public enum CallStatus
{
    Ok,
    GuestError,
    Timeout,
    OutOfMemory,
    OutOfFuel,
    Abort,
    Trap,
    BadResult,

    /// <summary>The call was refused before it ran: the app needs a verified bearer token (a Modus app's endpoint auth).</summary>
    Unauthorized,
}
