using Microsoft.AspNetCore.Http;

namespace Wafer.Gateway.Forwarding;

/// <summary>Nothing of the call was sent: the runtime's call port could not be reached or took no more calls.</summary>
internal sealed class CallNotSentException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>
/// Reading the caller's body failed while it was streamed to a runtime: the caller's fault, with the status it earns
/// (413 too large, 408 too slow, 400 malformed or cut short).
/// </summary>
internal sealed class ClientBodyException(Exception inner) : IOException($"the request body could not be read: {inner.Message}", inner)
{
    public int StatusCode { get; } = inner switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        OperationCanceledException => StatusCodes.Status408RequestTimeout,
        _ => StatusCodes.Status400BadRequest,
    };
}

/// <summary>The runtime stopped taking a streamed body before its end.</summary>
internal sealed class BodyNotTakenException(Exception inner) : IOException($"the runtime stopped taking the request body: {inner.Message}", inner);
