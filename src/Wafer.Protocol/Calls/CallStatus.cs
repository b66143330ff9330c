namespace Wafer.Protocol.Calls;

/// <summary>
/// How a call ended, one value from the guest up to every transport: the engine returns it (docs/abi.md §4), the
/// runtime answers it over HTTP and the call protocol (whose answer frames carry its code), the gateway passes it on
/// or adds its own, GraphQL names it in its errors. <see cref="CallStatuses"/> is its one table: the problem type and
/// title, the HTTP status and the error code of each. Everything but <see cref="Ok"/> is a failure. The numbers are the
/// code answer frames carry (docs/call-protocol.md): never renumber, only add.
/// </summary>
public enum CallStatus : byte
{
    /// <summary>The guest returned its result.</summary>
    Ok = 0,

    /// <summary><c>wafer_invoke</c> returned non-zero; the message is the guest's error text.</summary>
    GuestError = 1,

    /// <summary>The wall-clock limit elapsed.</summary>
    Timeout = 2,

    /// <summary>The guest trapped with its memory at the cap, or memory could not be provided.</summary>
    OutOfMemory = 3,

    /// <summary>The instruction fuel was exhausted.</summary>
    OutOfFuel = 4,

    /// <summary>The guest called <c>wafer.abort</c> or <c>env.abort</c>.</summary>
    Abort = 5,

    /// <summary>Any other trap, including bad pointers handed to host imports.</summary>
    Trap = 6,

    /// <summary>The guest returned a value its declared result type does not allow.</summary>
    BadResult = 7,

    /// <summary>Refused before it ran: the app needs a verified bearer token (a Modus app's endpoint auth).</summary>
    Unauthorized = 8,

    /// <summary>Refused before it ran: the arguments do not bind to the function's parameters.</summary>
    BadRequest = 9,

    /// <summary>Refused before it ran: no function of that name is served here.</summary>
    NotFound = 10,

    /// <summary>Refused before it ran: the unqualified name matches functions of several plugins.</summary>
    Ambiguous = 11,

    /// <summary>Refused before it ran: the body is over the runtime's request limit.</summary>
    TooLarge = 12,

    /// <summary>Turned away unrun: the runtime's execution slots are taken; another replica may take it.</summary>
    Busy = 13,

    /// <summary>Not run: the plugin was unloaded during the call, or the runtime is stopping; another replica may take it.</summary>
    Unavailable = 14,

    /// <summary>It ran, but its answer is larger than the call protocol carries.</summary>
    ResultTooLarge = 15,

    /// <summary>The gateway's: no healthy runtime serves the deployment.</summary>
    NoReplica = 16,

    /// <summary>The gateway's: the runtime's connection failed before an answer.</summary>
    BadGateway = 17,

    /// <summary>The gateway's: the runtime did not answer in time.</summary>
    GatewayTimeout = 18,

    /// <summary>GraphQL's: a field's arguments do not fit the function's ABI types (e.g. <c>300</c> for a <c>u8</c>); not called.</summary>
    BadArguments = 19,

    /// <summary>GraphQL's: the request's deadline passed before the field's call answered, or before it started.</summary>
    DeadlineExceeded = 20,
}
