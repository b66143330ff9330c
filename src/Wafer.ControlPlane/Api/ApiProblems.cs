using Microsoft.AspNetCore.Http;
using Wafer.Hosting.Http;
using Wafer.Protocol.Problems;

namespace Wafer.ControlPlane.Api;

/// <summary>RFC 7807 problem details for the orchestrator's REST API (<see cref="ProblemTypes"/>); the detail always says what is wrong.</summary>
internal static class ApiProblems
{
    public const string TypePrefix = ProblemTypes.Prefix;

    public static IResult BadRequest(string detail) => Problems.Create(ProblemTypes.BadRequest, detail);

    public static IResult NotFound(string detail) => Problems.Create(ProblemTypes.NotFound, detail);

    public static IResult Conflict(string detail) => Problems.Create(ProblemTypes.Conflict, detail);

    /// <summary>A conflict that names more than the detail does (e.g. the deployment already serving some functions).</summary>
    public static IResult Conflict(string detail, IEnumerable<KeyValuePair<string, object?>> extensions) =>
        Problems.Create(ProblemTypes.Conflict, detail, extensions: extensions);

    public static IResult TooLarge(long limit) => Problems.Create(ProblemTypes.TooLarge, $"the plugin exceeds the {limit}-byte limit");

    public static IResult UnsupportedMediaType(string detail) => Problems.Create(ProblemTypes.UnsupportedMediaType, detail);

    public static IResult Unauthorized(bool tokenGiven) =>
        Problems.Create(ProblemTypes.Unauthorized, tokenGiven
            ? "the bearer token is not the orchestrator's API token"
            : "this operation needs 'Authorization: Bearer TOKEN' with the orchestrator's API token (--token or WAFER_TOKEN)");

    /// <summary>
    /// An upload the artifact store could not take (507 when the disk is full, 503 when the store is unreachable, else
    /// 500): nothing was stored.
    /// </summary>
    public static IResult NotStored(Artifacts.ArtifactNotStoredException exception) => StoreFailed(exception.Fault, exception.Message);

    /// <summary>The artifact store failed (<see cref="NotStored"/>'s statuses).</summary>
    public static IResult StoreFailed(Artifacts.ArtifactStoreException exception) => StoreFailed(exception.Fault, exception.Message);

    private static IResult StoreFailed(Artifacts.ArtifactStoreFault fault, string detail) => fault switch
    {
        Artifacts.ArtifactStoreFault.DiskFull => Problems.Create(ProblemTypes.InsufficientStorage, detail),
        Artifacts.ArtifactStoreFault.Unavailable => Problems.Create(ProblemTypes.Unavailable, detail),
        _ => Problems.Create(ProblemTypes.StorageFailed, detail),
    };

    public static IResult Unavailable(string detail) => Problems.Create(ProblemTypes.Unavailable, detail);
}
