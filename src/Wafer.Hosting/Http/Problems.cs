using Microsoft.AspNetCore.Http;
using Wafer.Protocol.Problems;
using Wafer.Protocol.Calls;

namespace Wafer.Hosting.Http;

/// <summary>
/// RFC 7807 problem details for every way a request to a runtime, an orchestrator or a gateway can fail, typed and titled from the shared
/// vocabulary (<see cref="ProblemTypes"/>); the detail says what is wrong.
/// </summary>
public static class Problems
{
    public const string TypePrefix = ProblemTypes.Prefix;

    public static IResult BadRequest(string detail, string? function = null) => Create(ProblemTypes.BadRequest, detail, function);

    public static IResult NotFound(string detail) => Create(ProblemTypes.NotFound, detail);

    public static IResult Unauthorized(string detail) => Create(ProblemTypes.Unauthorized, detail);

    /// <summary>A control request a browser sent from another site (<see cref="CrossSiteGuard"/>).</summary>
    public static IResult CrossSite(string detail) => Create(ProblemTypes.CrossSite, detail);

    public static IResult MethodNotAllowed(string detail) => Create(ProblemTypes.MethodNotAllowed, detail);

    public static IResult Conflict(string detail) => Create(ProblemTypes.Conflict, detail);

    public static IResult UnsupportedMediaType(string detail) => Create(ProblemTypes.UnsupportedMediaType, detail);

    public static IResult PluginNotFound(string detail) => Create(ProblemTypes.NotFound, detail);

    public static IResult Ambiguous(string detail) => Create(ProblemTypes.Ambiguous, detail);

    public static IResult TooLarge(long limit) => Of(CallProblem.Of(CallRefusals.TooLarge(limit)));

    /// <summary>The state database (call logs, inferences, jobs) does not answer; functions are still served.</summary>
    public static IResult StateUnavailable(string detail) =>
        Create(ProblemTypes.StateUnavailable, detail);

    /// <summary>An upload that could not be kept because the disk is full: nothing was changed.</summary>
    public static IResult InsufficientStorage(string detail) =>
        Create(ProblemTypes.InsufficientStorage, detail);

    /// <summary>An upload that could not be kept on disk for another reason: nothing was changed.</summary>
    public static IResult StorageFailed(string detail) =>
        Create(ProblemTypes.StorageFailed, detail);

    /// <summary>
    /// A function call's problem (<see cref="CallProblem"/>), as every transport answers it: its type, title and status
    /// from <see cref="CallStatuses"/>, with <c>Retry-After</c> when it has one.
    /// </summary>
    public static IResult Of(CallProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var result = Create(problem.Type, problem.Detail, problem.Function, extensions: problem.Extensions());
        return problem.RetryAfterSeconds is { } seconds ? WithRetryAfter(result, seconds) : result;
    }

    /// <summary>A problem of <paramref name="type"/> with its usual status (or <paramref name="status"/>) and the given extensions.</summary>
    public static IResult Create(ProblemType type, string detail, string? function = null, int? status = null,
        IEnumerable<KeyValuePair<string, object?>>? extensions = null)
    {
        var all = new Dictionary<string, object?> { ["cause"] = type.Name };
        if (function is not null)
        {
            all["function"] = function;
        }

        if (extensions is not null)
        {
            foreach (var (key, value) in extensions)
            {
                all[key] = value;
            }
        }

        return Results.Problem(detail: detail, statusCode: status ?? type.Status, title: type.Title, type: type.Uri, extensions: all);
    }

    /// <summary><paramref name="problem"/> with <c>Retry-After: <paramref name="seconds"/></c>.</summary>
    public static IResult WithRetryAfter(IResult problem, int seconds) => new RetryAfterResult(problem, seconds);

    private sealed class RetryAfterResult(IResult problem, int seconds) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return problem.ExecuteAsync(httpContext);
        }
    }
}
