using Microsoft.AspNetCore.Http;

namespace Wafer.ControlPlane.Api;

/// <summary>RFC 7807 problem details for the orchestrator's REST API; the detail always says what is wrong.</summary>
public static class ApiProblems
{
    public const string TypePrefix = "urn:wafer:problem:";

    public static IResult BadRequest(string detail) => Create(StatusCodes.Status400BadRequest, "bad_request", "Bad request", detail);

    public static IResult NotFound(string detail) => Create(StatusCodes.Status404NotFound, "not_found", "Not found", detail);

    public static IResult Conflict(string detail) => Create(StatusCodes.Status409Conflict, "conflict", "Conflict", detail);

    public static IResult TooLarge(long limit) =>
        Create(StatusCodes.Status413PayloadTooLarge, "too_large", "Request body too large", $"the plugin exceeds the {limit}-byte limit");

    public static IResult UnsupportedMediaType(string detail) =>
        Create(StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Unsupported media type", detail);

    public static IResult Unauthorized(bool tokenGiven) =>
        Create(StatusCodes.Status401Unauthorized, "unauthorized", "Unauthorized", tokenGiven
            ? "the bearer token is not the orchestrator's API token"
            : "this operation needs 'Authorization: Bearer TOKEN' with the orchestrator's API token (--token or WAFER_TOKEN)");

    /// <summary>An upload the disk could not take (507 when it is full, else 500): nothing was stored.</summary>
    public static IResult NotStored(Artifacts.ArtifactNotStoredException exception) => exception.DiskFull
        ? Create(StatusCodes.Status507InsufficientStorage, "insufficient_storage", "Insufficient storage", exception.Message)
        : Create(StatusCodes.Status500InternalServerError, "storage_failed", "Could not store", exception.Message);

    public static IResult Unavailable(string detail) => Create(StatusCodes.Status503ServiceUnavailable, "unavailable", "Unavailable", detail);

    private static IResult Create(int status, string cause, string title, string detail) =>
        Results.Problem(detail: detail, statusCode: status, title: title, type: TypePrefix + cause,
            extensions: new Dictionary<string, object?> { ["cause"] = cause });
}
