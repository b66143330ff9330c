using System.Net.Sockets;

namespace Wafer.Gateway.Forwarding;

/// <summary>
/// What went wrong with one attempt to send a request to a replica, whichever way it went (the call protocol, HTTP,
/// YARP's forwarder): the one value <see cref="ReplicaLoop"/> judges, as YARP's <c>ForwarderError</c> is for its
/// forwarder. Whose fault it was decides what happens to the replica (<see cref="CallFailures.PutsAside"/>): only a
/// fault of the runtime's puts it aside; a caller's bad body, slowness or departure never does.
/// </summary>
internal enum CallFailure
{
    /// <summary>The runtime answered (whatever its status).</summary>
    None,

    /// <summary>
    /// Nothing was sent: the runtime's port refused the connection, did not complete it (with the call protocol's
    /// preamble) in time, or closed before the call went out. Put aside; another replica gets the call.
    /// </summary>
    NotSent,

    /// <summary>The connection broke after the request was sent, before an answer. Put aside; 502, not sent again (it may have run).</summary>
    Broke,

    /// <summary>No answer within <c>CallTimeout</c>. Put aside; 504, not sent again.</summary>
    TimedOut,

    /// <summary>
    /// The runtime stopped taking a streamed body before its end (a lower request limit than the gateway's, or it went
    /// away). 502; not put aside: the call did not run, and a runtime that went away refuses the next connection.
    /// </summary>
    BodyNotTaken,

    /// <summary>
    /// The answer broke after its head (the caller's response is cut short), or could not be passed on. Not put aside:
    /// the runtime answered, and the caller's pace may be why.
    /// </summary>
    AnswerCut,

    /// <summary>The caller's body could not be read: too large, malformed, too slow, or shorter than it said. 4xx; not put aside.</summary>
    ClientBody,

    /// <summary>The caller went away. Nothing to answer; not put aside.</summary>
    ClientGone,
}

/// <summary>What each <see cref="CallFailure"/> means for the replica and the caller, and which one a transport exception is.</summary>
internal static class CallFailures
{
    /// <summary>True when the failure was the runtime's doing, so new calls skip it for a while.</summary>
    public static bool PutsAside(this CallFailure failure) => failure is CallFailure.NotSent or CallFailure.Broke or CallFailure.TimedOut;

    /// <summary>True when the caller, not the runtime, ended the attempt.</summary>
    public static bool IsCallers(this CallFailure failure) => failure is CallFailure.ClientBody or CallFailure.ClientGone;

    /// <summary>
    /// The failure an exception from sending a request and reading its answer's head stands for: the caller gone first,
    /// then what shows nothing was sent, the caller's unreadable body, a body the runtime stopped taking, the deadline;
    /// anything else broke after the request may have reached the runtime.
    /// </summary>
    public static (CallFailure Failure, int ClientStatus, string Reason) Classify(Exception exception, CallDeadline deadline)
    {
        if (deadline.Aborted.IsCancellationRequested)
        {
            return (CallFailure.ClientGone, 0, exception.Message);
        }

        if (NothingSent(exception))
        {
            return (CallFailure.NotSent, 0, exception.Message);
        }

        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case ClientBodyException body:
                    return (CallFailure.ClientBody, body.StatusCode, body.Message);
                case BodyNotTakenException notTaken:
                    return (CallFailure.BodyNotTaken, 0, notTaken.Message);
            }
        }

        return (deadline.TimedOut ? CallFailure.TimedOut : CallFailure.Broke, 0, exception.Message);
    }

    /// <summary>
    /// True when the exception shows nothing of the request was sent: the connection was refused or could not be made,
    /// or the call port took no call (<see cref="CallNotSentException"/>).
    /// </summary>
    public static bool NothingSent(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is CallNotSentException or SocketException { SocketErrorCode: SocketError.ConnectionRefused }
                or HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True for the exceptions a transport throws (the rest are bugs and go on up).</summary>
    public static bool IsTransport(Exception exception) => exception is HttpRequestException or IOException or OperationCanceledException or SocketException;
}
