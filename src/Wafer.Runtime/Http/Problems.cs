using Microsoft.AspNetCore.Http;
using Wafer.Runtime.Invocation;

namespace Wafer.Runtime.Http;

/// <summary>RFC 7807 problem details for every way a function request can fail.</summary>
public static class Problems
{
    public const string TypePrefix = "urn:wafer:problem:";

    public static IResult BadRequest(string detail, string? function = null) =>
        Create(StatusCodes.Status400BadRequest, "bad_request", "Bad request", detail, function);

    public static IResult NotFound(string detail) =>
        Create(StatusCodes.Status404NotFound, "not_found", "Function not found", detail, null);

    public static IResult Unauthorized(string detail) =>
        Create(StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized", detail, null);

    public static IResult MethodNotAllowed(string detail) =>
        Create(StatusCodes.Status405MethodNotAllowed, "method_not_allowed", "Method not allowed", detail, null);

    public static IResult Conflict(string detail) =>
        Create(StatusCodes.Status409Conflict, "conflict", "Conflict", detail, null);

    public static IResult PluginNotFound(string detail) =>
        Create(StatusCodes.Status404NotFound, "not_found", "Plugin not found", detail, null);

    public static IResult Ambiguous(string detail) =>
        Create(StatusCodes.Status409Conflict, "ambiguous", "Ambiguous function name", detail, null);

    public static IResult TooLarge(long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, "too_large", "Request body too large", $"the request body exceeds {limit} bytes", null);

    public static IResult Unavailable(string function) =>
        Create(StatusCodes.Status503ServiceUnavailable, "unavailable", "Function unavailable", $"{function} was unloaded during the call; retry", function);

    /// <summary>A call that reached a runtime already stopping, which did not run it.</summary>
    public static IResult Stopping() =>
        Create(StatusCodes.Status503ServiceUnavailable, "unavailable", "Runtime stopping", "the runtime is stopping and did not run the call; retry", null);

    /// <summary>A call that ran, but whose answer is larger than the call protocol carries (HTTP has no such limit).</summary>
    public static IResult ResultTooLarge(string function, int bytes, int limit) =>
        Create(StatusCodes.Status500InternalServerError, "result_too_large", "Result too large",
            $"the answer of {bytes} bytes is over the {limit} bytes a call from a gateway can carry; call the runtime over HTTP", function);

    public static IResult CallFailed(string qualifiedName, CallOutcome outcome)
    {
        var status = outcome.Status switch
        {
            CallStatus.Timeout => StatusCodes.Status504GatewayTimeout,
            CallStatus.Unauthorized => StatusCodes.Status401Unauthorized,
            _ => StatusCodes.Status500InternalServerError,
        };
        var extensions = new Dictionary<string, object?>
        {
            ["cause"] = outcome.Cause,
            ["function"] = qualifiedName,
            ["callId"] = outcome.CallId,
            ["durationMs"] = Math.Round(outcome.Duration.TotalMilliseconds, 3),
        };
        return Results.Problem(
            detail: $"{qualifiedName} failed: {outcome.Cause}: {outcome.Message}",
            statusCode: status,
            title: Title(outcome.Status),
            type: TypePrefix + outcome.Cause,
            extensions: extensions);
    }

    private static IResult Create(int status, string cause, string title, string detail, string? function)
    {
        var extensions = new Dictionary<string, object?> { ["cause"] = cause };
        if (function is not null)
        {
            extensions["function"] = function;
        }

        return Results.Problem(detail: detail, statusCode: status, title: title, type: TypePrefix + cause, extensions: extensions);
    }

    private static string Title(CallStatus status) => status switch
    {
        CallStatus.Timeout => "Function timed out",
        CallStatus.OutOfMemory => "Function ran out of memory",
        CallStatus.OutOfFuel => "Function ran out of fuel",
        CallStatus.Abort => "Function aborted",
        CallStatus.GuestError => "Function returned an error",
        CallStatus.BadResult => "Function returned a bad result",
        CallStatus.Unauthorized => "Unauthorized",
        _ => "Function trapped",
    };
}
