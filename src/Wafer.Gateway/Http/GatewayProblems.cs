using Microsoft.AspNetCore.Http;
using Wafer.Runtime.Http;

namespace Wafer.Gateway.Http;

/// <summary>The gateway's own refusals, in the runtime's problem format (<c>urn:wafer:problem:CAUSE</c>).</summary>
public static class GatewayProblems
{
    public static IResult NoReplica(string deployment) =>
        Create(StatusCodes.Status503ServiceUnavailable, "no_replica", "No healthy replica",
            $"no healthy runtime serves '{deployment}' right now; retry shortly", deployment);

    public static IResult Unreachable(string deployment, string runtime, string reason, bool timedOut) =>
        Create(timedOut ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status502BadGateway, timedOut ? "gateway_timeout" : "bad_gateway", "Runtime failed",
            $"runtime '{runtime}' serving '{deployment}' failed: {reason}", deployment);

    /// <summary>The caller's body could not be read: malformed (400), too slow (408), or cut short.</summary>
    public static IResult UnreadableBody(int status, string reason) =>
        Results.Problem(statusCode: status, title: "Unreadable request body", detail: reason,
            type: Problems.TypePrefix + "bad_request", extensions: new Dictionary<string, object?> { ["cause"] = "bad_request" });

    public static IResult Unauthorized() =>
        Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized",
            detail: "this operation needs 'Authorization: Bearer TOKEN' with the gateway's token", type: Problems.TypePrefix + "unauthorized",
            extensions: new Dictionary<string, object?> { ["cause"] = "unauthorized" });

    private static IResult Create(int status, string cause, string title, string detail, string deployment) =>
        Results.Problem(detail: detail, statusCode: status, title: title, type: Problems.TypePrefix + cause,
            extensions: new Dictionary<string, object?> { ["cause"] = cause, ["deployment"] = deployment });
}
