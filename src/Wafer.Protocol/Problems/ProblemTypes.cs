using System.Collections.Frozen;

namespace Wafer.Protocol.Problems;

/// <summary>
/// The vocabulary of problem types shared by runtime, orchestrator and gateway, part of the wire contract
/// (docs/orchestrator.md, "Errors"): one title per type, whichever server answers.
/// </summary>
public static class ProblemTypes
{
    public const string Prefix = "urn:wafer:problem:";

    public static readonly ProblemType BadRequest = new("bad_request", "Bad request", 400);
    public static readonly ProblemType Unauthorized = new("unauthorized", "Unauthorized", 401);
    public static readonly ProblemType Forbidden = new("forbidden", "Forbidden", 403);
    public static readonly ProblemType CrossSite = new("cross_site", "Cross-site request refused", 403);
    public static readonly ProblemType NotFound = new("not_found", "Not found", 404);
    public static readonly ProblemType MethodNotAllowed = new("method_not_allowed", "Method not allowed", 405);
    public static readonly ProblemType NotAcceptable = new("not_acceptable", "Not acceptable", 406);
    public static readonly ProblemType Conflict = new("conflict", "Conflict", 409);
    public static readonly ProblemType Ambiguous = new("ambiguous", "Ambiguous function name", 409);
    public static readonly ProblemType TooLarge = new("too_large", "Request body too large", 413);
    public static readonly ProblemType UnsupportedMediaType = new("unsupported_media_type", "Unsupported media type", 415);
    public static readonly ProblemType TooManyRequests = new("too_many_requests", "Too many requests", 429);
    public static readonly ProblemType Internal = new("internal", "Internal server error", 500);
    public static readonly ProblemType ResultTooLarge = new("result_too_large", "Result too large", 500);
    public static readonly ProblemType Unavailable = new("unavailable", "Unavailable", 503);
    public static readonly ProblemType Busy = new("busy", "Busy", 503);
    public static readonly ProblemType NoReplica = new("no_replica", "No healthy replica", 503);
    public static readonly ProblemType StateUnavailable = new("state_unavailable", "State database unavailable", 503);
    public static readonly ProblemType StorageFailed = new("storage_failed", "Could not store", 500);
    public static readonly ProblemType InsufficientStorage = new("insufficient_storage", "Insufficient storage", 507);
    public static readonly ProblemType BadGateway = new("bad_gateway", "Bad gateway", 502);
    public static readonly ProblemType GatewayTimeout = new("gateway_timeout", "Gateway timeout", 504);
    public static readonly ProblemType BadResponse = new("bad_response", "Handler wrote a bad response", 502);

    // How a guest's call ended (docs/abi.md §4): from a function (500, 504) or an HTTP handler (502, 504).
    public static readonly ProblemType Timeout = new("timeout", "Guest timed out", 504);
    public static readonly ProblemType OutOfMemory = new("out_of_memory", "Guest ran out of memory", 500);
    public static readonly ProblemType OutOfFuel = new("out_of_fuel", "Guest ran out of fuel", 500);
    public static readonly ProblemType Abort = new("abort", "Guest aborted", 500);
    public static readonly ProblemType Trap = new("trap", "Guest trapped", 500);
    public static readonly ProblemType GuestError = new("guest_error", "Function returned an error", 500);
    public static readonly ProblemType BadResult = new("bad_result", "Function returned a bad result", 500);

    // GraphQL's own causes of a failed field, in the error's code (docs/graphql.md "Errors").
    public static readonly ProblemType BadArguments = new("bad_arguments", "Bad arguments", 400);
    public static readonly ProblemType DeadlineExceeded = new("deadline_exceeded", "Request deadline exceeded", 504);

    /// <summary>Every type, by name.</summary>
    public static FrozenDictionary<string, ProblemType> All { get; } = new[]
    {
        BadRequest, Unauthorized, Forbidden, CrossSite, NotFound, MethodNotAllowed, NotAcceptable, Conflict, Ambiguous, TooLarge,
        UnsupportedMediaType, TooManyRequests, Internal, ResultTooLarge, Unavailable, Busy, NoReplica, StateUnavailable, StorageFailed,
        InsufficientStorage, BadGateway, GatewayTimeout,
        BadResponse, Timeout, OutOfMemory, OutOfFuel, Abort, Trap, GuestError, BadResult, BadArguments, DeadlineExceeded,
    }.ToFrozenDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>The type by name; a name outside the vocabulary is a bug, not input.</summary>
    public static ProblemType Named(string name) =>
        All.TryGetValue(name, out var type) ? type : throw new ArgumentException($"'{name}' is not a Wafer problem type", nameof(name));

    /// <summary>The type of an answer that carries only a status (the framework's own 404, 405, 415, ...).</summary>
    public static ProblemType ForStatus(int status) => status switch
    {
        400 => BadRequest,
        401 => Unauthorized,
        403 => Forbidden,
        404 => NotFound,
        405 => MethodNotAllowed,
        406 => NotAcceptable,
        409 => Conflict,
        413 => TooLarge,
        415 => UnsupportedMediaType,
        429 => TooManyRequests,
        502 => BadGateway,
        503 => Unavailable,
        504 => GatewayTimeout,
        507 => InsufficientStorage,
        >= 500 => Internal,
        _ => BadRequest,
    };
}
