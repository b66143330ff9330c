using Wafer.Protocol.Problems;

namespace Wafer.Protocol.Calls;

/// <summary>
/// The one table of <see cref="CallStatus"/>: the problem type each failure is answered with (its <c>type</c> URI,
/// <c>title</c> and <c>cause</c>), its HTTP status, and the <c>code</c> a GraphQL error carries, the same name. REST,
/// GraphQL, the call protocol and the gateway all read it here, as YARP's forwarder reads one status per
/// <c>ForwarderError</c>; GraphQL's own codes (<c>bad_arguments</c>, <c>deadline_exceeded</c>) are rows of it too.
/// </summary>
public static class CallStatuses
{
    private static readonly ProblemType?[] Types =
    [
        null, // Ok
        ProblemTypes.GuestError,
        ProblemTypes.Timeout,
        ProblemTypes.OutOfMemory,
        ProblemTypes.OutOfFuel,
        ProblemTypes.Abort,
        ProblemTypes.Trap,
        ProblemTypes.BadResult,
        ProblemTypes.Unauthorized,
        ProblemTypes.BadRequest,
        ProblemTypes.NotFound,
        ProblemTypes.Ambiguous,
        ProblemTypes.TooLarge,
        ProblemTypes.Busy,
        ProblemTypes.Unavailable,
        ProblemTypes.ResultTooLarge,
        ProblemTypes.NoReplica,
        ProblemTypes.BadGateway,
        ProblemTypes.GatewayTimeout,
        ProblemTypes.BadArguments,
        ProblemTypes.DeadlineExceeded,
    ];

    private static readonly Dictionary<string, CallStatus> ByCode = Enum.GetValues<CallStatus>().ToDictionary(Code, s => s, StringComparer.Ordinal);

    /// <summary>Every failure, in code order.</summary>
    public static IReadOnlyList<CallStatus> Failures { get; } = Enum.GetValues<CallStatus>().Where(s => s != CallStatus.Ok).ToArray();

    /// <summary>The problem type a failure is answered with.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="CallStatus.Ok"/>, or a value outside the enum.</exception>
    public static ProblemType Problem(this CallStatus status) =>
        (uint)status < (uint)Types.Length && Types[(int)status] is { } type
            ? type
            : throw new ArgumentOutOfRangeException(nameof(status), status, "not a failure");

    /// <summary>The HTTP status a call that ended so is answered with.</summary>
    public static int HttpStatus(this CallStatus status) => status == CallStatus.Ok ? 200 : status.Problem().Status;

    /// <summary>
    /// The snake_case name of how the call ended: the problem's <c>cause</c>, the GraphQL error's <c>code</c>, the
    /// metrics' and traces' outcome (<c>ok</c> for <see cref="CallStatus.Ok"/>).
    /// </summary>
    public static string Code(this CallStatus status) => status == CallStatus.Ok ? "ok" : status.Problem().Name;

    /// <summary>True when <paramref name="code"/> is a <see cref="CallStatus"/> this side knows (a newer peer may send more).</summary>
    public static bool IsKnown(byte code) => code < Types.Length;

    /// <summary>The status a code names, when it names one (a problem's <c>cause</c> read back).</summary>
    public static bool TryParse(string? code, out CallStatus status)
    {
        status = CallStatus.Ok;
        return code is not null && ByCode.TryGetValue(code, out status);
    }

    /// <summary>
    /// True for the failures that show the call did not run on that runtime, so a gateway may send it to another
    /// replica: not served there (its replica moved), turned away for capacity, unloaded or stopping.
    /// </summary>
    public static bool DidNotRun(this CallStatus status) => status is CallStatus.NotFound or CallStatus.Busy or CallStatus.Unavailable;
}
