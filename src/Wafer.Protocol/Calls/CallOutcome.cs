namespace Wafer.Protocol.Calls;

/// <summary>
/// How one call ended, the one value from the engine to every transport: a value, never an exception, for every way a
/// guest can fail. The engine returns it with <see cref="Status"/>, <see cref="ResultJson"/> and <see cref="Message"/>;
/// the runtime that ran the call stamps <see cref="CallId"/> and <see cref="Duration"/> on it (<c>with</c>), and a
/// gateway that forwarded it fills them from the runtime's answer. A struct: a call allocates nothing for it.
/// </summary>
/// <param name="Status">How the call ended.</param>
/// <param name="ResultJson">The guest's result, UTF-8 JSON, when <see cref="CallStatus.Ok"/> (<c>null</c> JSON when a
/// void function passed none). From the engine, a guest error keeps here the bytes the guest passed as its error
/// (<see cref="Message"/> is their text); the runtime answers no bytes for a failure. Otherwise null.</param>
/// <param name="Message">A human-readable cause for every status but <see cref="CallStatus.Ok"/> (a guest error's own text).</param>
public readonly record struct CallOutcome(CallStatus Status, byte[]? ResultJson, string? Message)
{
    /// <summary>A call that ran, with its id and how long it took.</summary>
    public CallOutcome(string callId, CallStatus status, byte[]? resultJson, string? message, TimeSpan duration)
        : this(status, resultJson, message)
    {
        CallId = callId;
        Duration = duration;
    }

    /// <summary>The call's id, once the runtime that ran it has given it one.</summary>
    public string? CallId { get; init; }

    /// <summary>How long the call ran, as the runtime measured it.</summary>
    public TimeSpan Duration { get; init; }

    public bool Succeeded => Status == CallStatus.Ok;

    /// <summary>The snake_case cause used in problem details, GraphQL error codes, metrics and traces (<see cref="CallStatuses.Code"/>).</summary>
    public string Cause => Status.Code();
}
