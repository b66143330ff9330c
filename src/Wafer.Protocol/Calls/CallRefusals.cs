namespace Wafer.Protocol.Calls;

/// <summary>
/// The outcomes of calls that did not run, and of one whose answer could not be carried: each a
/// <see cref="CallOutcome"/> with its status and the message a client reads as the problem's <c>detail</c>. Every
/// transport answers them as it answers a guest's failure (<see cref="CallProblem.Of"/>).
/// </summary>
public static class CallRefusals
{
    /// <summary>No function of that name is served here; <paramref name="message"/> names what was looked for.</summary>
    public static CallOutcome NotFound(string message) => new(CallStatus.NotFound, null, message);

    /// <summary>The unqualified name matches functions of several plugins; <paramref name="message"/> names them.</summary>
    public static CallOutcome Ambiguous(string message) => new(CallStatus.Ambiguous, null, message);

    /// <summary>The arguments do not bind to the function's parameters; <paramref name="message"/> says which and why.</summary>
    public static CallOutcome BadRequest(string message) => new(CallStatus.BadRequest, null, message);

    public static CallOutcome TooLarge(long limit) => new(CallStatus.TooLarge, null, $"the request body exceeds {limit} bytes");

    /// <summary>A call whose plugin was unloaded while it waited to run.</summary>
    public static CallOutcome Unavailable(string function) =>
        new(CallStatus.Unavailable, null, $"{function} was unloaded during the call; retry");

    /// <summary>A call that reached a runtime already stopping, which did not run it.</summary>
    public static CallOutcome Stopping() => new(CallStatus.Unavailable, null, "the runtime is stopping and did not run the call; retry");

    /// <summary>A call turned away unrun for capacity; <paramref name="message"/> names the limit and its flag.</summary>
    public static CallOutcome Busy(string message) => new(CallStatus.Busy, null, message);

    /// <summary>A call that ran, but whose answer is larger than the call protocol carries (HTTP has no such limit).</summary>
    public static CallOutcome ResultTooLarge(int bytes, int limit) => new(CallStatus.ResultTooLarge, null,
        $"the answer of {bytes} bytes is over the {limit} bytes a call from a gateway can carry; call the runtime over HTTP");
}
