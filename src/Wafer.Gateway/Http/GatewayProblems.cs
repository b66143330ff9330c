using Microsoft.AspNetCore.Http;
using Wafer.Hosting.Http;
using Wafer.Protocol.Problems;

namespace Wafer.Gateway.Http;

/// <summary>The gateway's own refusals, in the shared problem vocabulary (<see cref="ProblemTypes"/>).</summary>
internal static class GatewayProblems
{
    public static IResult NoReplica(string deployment) =>
        Create(ProblemTypes.NoReplica, $"no healthy runtime serves '{deployment}' right now; retry shortly", deployment);

    /// <summary>A runtime failed a forwarded request. The answer is public: addresses in <paramref name="reason"/> are hidden (the log has them).</summary>
    public static IResult Unreachable(string deployment, string runtime, string reason, bool timedOut) =>
        Create(timedOut ? ProblemTypes.GatewayTimeout : ProblemTypes.BadGateway, $"runtime '{runtime}' serving '{deployment}' failed: {AddressText.Hide(reason)}", deployment);

    /// <summary>The caller's body could not be read: malformed (400), too slow (408), or cut short.</summary>
    public static IResult UnreadableBody(int status, string reason) =>
        Results.Problem(statusCode: status, title: "Unreadable request body", detail: reason,
            type: Problems.TypePrefix + "bad_request", extensions: new Dictionary<string, object?> { ["cause"] = "bad_request" });

    public static IResult Unauthorized() =>
        Problems.Create(ProblemTypes.Unauthorized, "this operation needs 'Authorization: Bearer TOKEN' with the gateway's token");

    /// <summary>A standalone gateway whose orchestrator did not answer a passed-through <c>/api/...</c> request.</summary>
    public static IResult OrchestratorUnreachable(string orchestrator, string error) =>
        Problems.Create(ProblemTypes.BadGateway, $"the orchestrator at {orchestrator} did not answer: {error}");

    /// <summary>A standalone gateway that has no routes from its orchestrator yet.</summary>
    public static IResult NotReady() => Problems.Create(ProblemTypes.Unavailable, "no routes from the orchestrator yet");

    private static IResult Create(ProblemType type, string detail, string deployment) =>
        Problems.Create(type, detail, extensions: [new("deployment", deployment)]);
}
