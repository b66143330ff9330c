using Wafer.Protocol.Calls;

namespace Wafer.Gateway.Forwarding;

/// <summary>
/// A runtime's answer to one attempt: whole over the call protocol (<see cref="Whole"/>), a response head with its body
/// still to stream over HTTP (<see cref="Response"/>), or already written by YARP's forwarder (status only).
/// </summary>
internal readonly struct RuntimeAnswer(int status, CallAnswer? whole = null, HttpRequestMessage? request = null, HttpResponseMessage? response = null) : IDisposable
{
    public int Status => status;

    public CallAnswer? Whole => whole;

    public HttpResponseMessage? Response => response;

    /// <summary>
    /// Whether the runtime turned the attempt away without running it, so another replica may take it: judged by the
    /// answer's cause where it carries one (every call-protocol answer does, <see cref="CallStatuses.DidNotRun"/>), so a
    /// call that ran is never sent again whatever its status; by the HTTP status only for an answer without a cause
    /// (over HTTP, or a cause newer than this gateway knows; <see cref="FunctionCall.NotRunThere"/>).
    /// </summary>
    public bool NotRunThere => whole is { Cause: { } cause } ? cause.DidNotRun() : FunctionCall.NotRunThere(status);

    public static RuntimeAnswer Of(CallAnswer answer) => new(answer.Status, whole: answer);

    public static RuntimeAnswer Of(HttpRequestMessage request, HttpResponseMessage response) => new((int)response.StatusCode, request: request, response: response);

    public void Dispose()
    {
        response?.Dispose();
        request?.Dispose();
    }
}

/// <summary>One attempt on one replica: the runtime's answer, or what went wrong instead.</summary>
internal readonly record struct Attempt(RuntimeAnswer Answer, CallFailure Failure = CallFailure.None, string? Reason = null, int ClientStatus = 0)
{
    public static Attempt Answered(RuntimeAnswer answer) => new(answer);

    public static Attempt Failed(CallFailure failure, string? reason, int clientStatus = 0) => new(default, failure, reason, clientStatus);
}
